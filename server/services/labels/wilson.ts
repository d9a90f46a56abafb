/**
 * The lower bound of the Wilson score interval (95%) of up / (up + down): a label with 1 of 1 votes ranks
 * below one with 9 of 10, so early labels are not favoured. 0 with no votes.
 */
const Z = 1.959964;

export function wilsonLowerBound(up: number, down: number): number {
  const n = up + down;
  if (n === 0) return 0;
  const p = up / n;
  const z2 = Z * Z;
  return (p + z2 / (2 * n) - Z * Math.sqrt((p * (1 - p) + z2 / (4 * n)) / n)) / (1 + z2 / n);
}
