/**
 * Text no database can store: NUL characters (PostgreSQL refuses them in text columns) and unpaired UTF-16
 * surrogates (not Unicode; refused when encoded as UTF-8). Every input is checked at the boundary, so a
 * user's stray byte is a 400 naming the field instead of a 500 from deep inside a query.
 */
import { AppError } from "../errors";

// eslint-disable-next-line no-control-regex -- NUL is exactly what this refuses
const INVALID = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isValidText(text: string): boolean {
  return !INVALID.test(text);
}

/** The path ("name", "state.pinnedIds.3", "" for the value itself) of the first invalid string, or null. */
export function findInvalidText(value: unknown, path: string[] = [], depth = 0): string | null {
  if (typeof value === "string") return isValidText(value) ? null : path.join(".");
  if (depth > 64 || value === null || typeof value !== "object") return null;
  if (value instanceof Date || ArrayBuffer.isView(value)) return null;
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  for (const [key, v] of entries) {
    if (!isValidText(key)) return [...path, "(key)"].join(".");
    const found = findInvalidText(v, [...path, key], depth + 1);
    if (found !== null) return found;
  }
  return null;
}

/** Throws INVALID_TEXT naming the field when `value` holds a string no database can store. */
export function assertValidText(value: unknown, what = "input"): void {
  const path = findInvalidText(value);
  if (path === null) return;
  const field = path || what;
  throw new AppError(
    "INVALID_TEXT",
    `${field}: contains a NUL character or an unpaired UTF-16 surrogate; remove it and try again`,
    { path: field },
  );
}
