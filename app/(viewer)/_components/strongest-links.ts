// The K strongest links by |weight|, strongest first. Selection by threshold instead of a full sort of
// index objects: one native sort of a Float64Array copy (no comparator, no boxing) finds the K-th largest
// magnitude, then only the links at or above it are sorted. About 0.1 s for 10^6 links.

export const MAX_STRONGEST_LINKS = 50_000;

export function strongestLinks(weight: Float64Array, count: number, k: number = MAX_STRONGEST_LINKS): Uint32Array {
  const keep = Math.min(k, count);
  if (keep === 0) return new Uint32Array(0);
  let threshold = 0;
  // Links exactly at the threshold may outnumber the places left for them: only `tiesLeft` of them are
  // kept (the first in file order), so no link above the threshold is ever crowded out by a tie.
  let tiesLeft = keep;
  if (keep < count) {
    const magnitudes = new Float64Array(count);
    for (let i = 0; i < count; i += 1) magnitudes[i] = Math.abs(weight[i]!);
    magnitudes.sort();
    threshold = magnitudes[count - keep]!;
    let above = 0;
    for (let i = count - keep; i < count; i += 1) if (magnitudes[i]! > threshold) above += 1;
    tiesLeft = keep - above;
  }
  const picked: number[] = [];
  for (let i = 0; i < count && picked.length < keep; i += 1) {
    const m = Math.abs(weight[i]!);
    if (m > threshold || (m === threshold && tiesLeft-- > 0)) picked.push(i);
  }
  // Ties broken by file order, so the drawn set is the same on every load.
  picked.sort((a, b) => Math.abs(weight[b]!) - Math.abs(weight[a]!) || a - b);
  return Uint32Array.from(picked);
}
