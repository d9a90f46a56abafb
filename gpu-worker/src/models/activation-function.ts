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
    const order = Array.from({ length: F }, (_, i) => i).sort((a, b) => pre[b]! - pre[a]! || a - b);
    const keep = new Uint8Array(F);
    for (let r = 0; r < k; r++) keep[order[r]!] = 1;
    for (let i = 0; i < F; i++) if (!keep[i]) pre[i] = 0;
  }
}
