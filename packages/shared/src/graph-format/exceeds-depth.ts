// JSON.parse reads any nesting depth, but JSON.stringify, zod and most consumers recurse and overflow the
// stack near 10^4 levels. Values a graph keeps (metadata, qParams, extra keys) are therefore limited in
// depth at import, so a file that imports can always be exported.

export const MAX_NESTING_DEPTH = 64;

/** True when `value` nests objects/arrays deeper than `maxDepth` levels (a scalar has depth 0). */
export function exceedsDepth(value: unknown, maxDepth: number = MAX_NESTING_DEPTH): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (maxDepth <= 0) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (exceedsDepth(item, maxDepth - 1)) return true;
    return false;
  }
  for (const key in value) {
    if (exceedsDepth((value as Record<string, unknown>)[key], maxDepth - 1)) return true;
  }
  return false;
}
