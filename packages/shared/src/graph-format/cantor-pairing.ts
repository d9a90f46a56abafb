// Cantor pairing of (layer, index), the `feature` value circuit-tracer >= 0.2 writes for transcoder features
// (attribution-algorithm.md §4.3): pair(l, i) = (l + i)(l + i + 1)/2 + i. The frontend's feature-file lookup
// inverts it, so both directions must be exact for every value a file can hold (safe integers).

/** Float arithmetic is exact below this, since w(w+1) then stays under 2^53. */
const FLOAT_EXACT_LIMIT = 2 ** 50;

export function cantorPair(layer: number, index: number): number {
  if (!Number.isSafeInteger(layer) || !Number.isSafeInteger(index) || layer < 0 || index < 0) {
    throw new RangeError(`cantorPair: expected two non-negative integers, received (${layer}, ${index})`);
  }
  const sum = BigInt(layer) + BigInt(index);
  const paired = (sum * (sum + 1n)) / 2n + BigInt(index);
  if (paired > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`cantorPair: (${layer}, ${index}) pairs to ${paired}, beyond Number.MAX_SAFE_INTEGER`);
  }
  return Number(paired);
}

export function cantorUnpair(feature: number): { layer: number; index: number } {
  if (!Number.isSafeInteger(feature) || feature < 0) {
    throw new RangeError(`cantorUnpair: expected a non-negative safe integer, received ${feature}`);
  }
  if (feature < FLOAT_EXACT_LIMIT) {
    // sqrt can land one off for large values; the two loops make w exactly the largest with T(w) <= z.
    let w = Math.floor((Math.sqrt(8 * feature + 1) - 1) / 2);
    while ((w * (w + 1)) / 2 > feature) w -= 1;
    while (((w + 1) * (w + 2)) / 2 <= feature) w += 1;
    const index = feature - (w * (w + 1)) / 2;
    return { layer: w - index, index };
  }
  const z = BigInt(feature);
  let w = BigInt(Math.floor((Math.sqrt(8 * feature + 1) - 1) / 2));
  while ((w * (w + 1n)) / 2n > z) w -= 1n;
  while (((w + 1n) * (w + 2n)) / 2n <= z) w += 1n;
  const index = z - (w * (w + 1n)) / 2n;
  return { layer: Number(w - index), index: Number(index) };
}
