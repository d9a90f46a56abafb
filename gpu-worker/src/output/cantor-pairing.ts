/**
 * The `feature` field of transcoder nodes since circuit-tracer v0.2.0 (reference §4.3):
 * pair(l, i) = (l + i)(l + i + 1) / 2 + i, and its inverse. Exact for results below 2^53.
 */
export function cantorPair(layer: number, index: number): number {
  const s = layer + index;
  return (s * (s + 1)) / 2 + index;
}

export function cantorUnpair(z: number): { layer: number; index: number } {
  let w = Math.floor((Math.sqrt(8 * z + 1) - 1) / 2);
  // Correct the float square root near perfect squares.
  while ((w * (w + 1)) / 2 > z) w--;
  while (((w + 1) * (w + 2)) / 2 <= z) w++;
  const index = z - (w * (w + 1)) / 2;
  return { layer: w - index, index };
}
