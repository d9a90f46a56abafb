/**
 * find_threshold of reference §3.3 without sorting: the smallest value v such that the values
 * ≥ v hold at least a share τ of the total — i.e. what "sort descending, cumulative share, first
 * index reaching τ" returns — found by a sum-tracking quickselect in expected O(n) time and one
 * copy of the positive values (the library's N² sort is what runs out of memory on long prompts,
 * issue #92).
 * Zeros never carry share, so only positive entries are examined. Deviation (documented): when
 * rounding leaves the target unreached, this returns the smallest positive value, where the
 * library would clamp to the last sorted entry (often 0, which would keep every zero edge).
 * Returns 0 when nothing is positive.
 */
export function findThreshold(values: ArrayLike<number>, tau: number): number {
  if (!(tau >= 0 && tau <= 1)) throw new Error(`findThreshold: threshold ${tau} must lie in [0, 1]`);
  let n = 0;
  let total = 0;
  for (let i = 0; i < values.length; i++) if (values[i]! > 0) (n++, (total += values[i]!));
  if (n === 0) return 0;
  // Same precision as the input: edge scores are float32 and there can be ~10⁹ of them.
  const a = values instanceof Float32Array ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0, j = 0; i < values.length; i++) if (values[i]! > 0) a[j++] = values[i]!;
  let need = tau * total;
  let lo = 0;
  let hi = n; // working range [lo, hi)
  let smallest = Infinity;
  for (let i = 0; i < n; i++) smallest = Math.min(smallest, a[i]!);
  while (hi > lo) {
    const pivot = medianOfThree(a[lo]!, a[(lo + hi) >> 1]!, a[hi - 1]!);
    // Three-way partition of [lo, hi) into  > pivot | == pivot | < pivot  (descending order).
    let gt = lo,
      i = lo,
      lt = hi;
    let sumGreater = 0,
      sumEqual = 0;
    while (i < lt) {
      const v = a[i]!;
      if (v > pivot) ((a[i] = a[gt]!), (a[gt] = v), gt++, i++, (sumGreater += v));
      else if (v < pivot) (lt--, (a[i] = a[lt]!), (a[lt] = v));
      else (i++, (sumEqual += v));
    }
    if (gt > lo && sumGreater >= need) hi = gt;
    else if (sumGreater + sumEqual >= need) return pivot;
    else ((need -= sumGreater + sumEqual), (lo = lt));
  }
  return smallest;
}

function medianOfThree(a: number, b: number, c: number): number {
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
}
