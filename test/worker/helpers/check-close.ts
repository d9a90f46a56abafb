import { expect } from "vitest";

/**
 * llm.c's check_tensor: compare element-wise with |a − b| ≤ atol + rtol·|b|, and on failure
 * report the max abs diff and the first mismatches so a wrong index is visible at once.
 */
export function expectClose(
  name: string,
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  atol: number,
  rtol: number,
): void {
  expect(actual.length, `${name}: length`).toBe(expected.length);
  let maxDiff = 0;
  const bad: string[] = [];
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const b = expected[i]!;
    const diff = Math.abs(a - b);
    if (!(diff <= maxDiff)) maxDiff = diff;
    if (!(diff <= atol + rtol * Math.abs(b)) && bad.length < 5)
      bad.push(`[${i}] got ${a} expected ${b} (diff ${diff.toExponential(2)})`);
  }
  if (bad.length > 0) {
    throw new Error(
      `${name}: not close (atol ${atol}, rtol ${rtol}); max |diff| ${maxDiff.toExponential(3)} over ${expected.length} values; first mismatches:\n  ${bad.join("\n  ")}`,
    );
  }
}
