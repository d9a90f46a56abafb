/**
 * Transcoder activation functions (reference §1.4). They act on one position's pre-activations
 * in place. The attribution never differentiates through them.
 */
export type ActivationFunction =
  | { kind: "jumprelu"; threshold: Float32Array } // [F]
  | { kind: "relu" }
  | { kind: "topk"; k: number };

/** pre: [F] -> a: [F] (in place). */
export function applyActivation(act: ActivationFunction, pre: Float64Array | Float32Array): void {
  const F = pre.length;
  if (act.kind === "relu") {
    for (let i = 0; i < F; i++) if (!(pre[i]! > 0)) pre[i] = 0;
  } else if (act.kind === "jumprelu") {
    // Strict ">": a pre-activation exactly at the threshold stays off (reference §1.4, §8.4).
    for (let i = 0; i < F; i++) if (!(pre[i]! > act.threshold[i]!)) pre[i] = 0;
  } else {
    // TopK keeps the k largest values (by value, not magnitude) and applies no ReLU afterwards,
    // so a kept value may be negative. Ties at the k-th value keep the lower index first.
    const k = Math.min(act.k, F);
    if (k === F) return;
    const kth = kthLargest(pre, k);
    let equalKept = k; // values above the k-th are kept; equal ones fill the rest, lowest index first
    for (let i = 0; i < F; i++) if (pre[i]! > kth) equalKept--;
    for (let i = 0; i < F; i++) {
      const v = pre[i]!;
      if (v > kth) continue;
      if (v === kth && equalKept > 0) equalKept--;
      else pre[i] = 0;
    }
  }
}

/** The k-th largest value (1-based) by quickselect on a copy: expected O(F), where a sort is O(F log F). */
function kthLargest(values: Float64Array | Float32Array, k: number): number {
  const a = Float64Array.from(values);
  let lo = 0,
    hi = a.length - 1;
  const want = k - 1; // index in descending order
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1]!;
    let i = lo,
      j = hi;
    while (i <= j) {
      while (a[i]! > pivot) i++;
      while (a[j]! < pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (want <= j) hi = j;
    else if (want >= i) lo = i;
    else return a[want]!;
  }
  return a[want]!;
}
