import type { TTextPosition } from "./graph-format-error";
import { formatJsonPath, type TJsonPathSegment } from "./json-path";

// V8's JSON.parse says *that* a file is broken, but often not where ("Unexpected token 'N', ... is not valid
// JSON" carries no position) and never in which field. This scanner walks the text once, tracking the open
// containers, and stops at the first character that cannot continue a JSON document. It runs only after
// JSON.parse has failed, so it favours clarity over speed (it is still linear and allocation-light).

export interface TJsonSyntaxLocation extends TTextPosition {
  /** JSON path of the innermost container (or property) open at the error, e.g. `$.links[23558]`. */
  readonly path: string;
  /** What the scanner wanted at `offset`, in words. */
  readonly expected: string;
}

type TFrame = { isArray: true; index: number } | { isArray: false; key: string | null };

// Sticky patterns: each matches exactly at lastIndex. A string body may not contain raw control characters.
// eslint-disable-next-line no-control-regex -- JSON forbids raw control characters in strings (RFC 8259 §7)
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const LITERALS = ["true", "false", "null"] as const;
const MAX_PATH_SEGMENTS = 32;

export function textPositionAt(text: string, offset: number): TTextPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { offset, line, column: offset - lineStart + 1 };
}

/** Returns null when the whole text is one valid JSON value (surrounded by optional whitespace). */
export function locateJsonSyntaxError(text: string): TJsonSyntaxLocation | null {
  const stack: TFrame[] = [];
  let i = 0;

  const fail = (expected: string): TJsonSyntaxLocation => {
    const segments: TJsonPathSegment[] = [];
    for (const frame of stack) {
      if (frame.isArray) segments.push(frame.index);
      else if (frame.key !== null) segments.push(frame.key);
    }
    // A 10^6-deep `[[[[...` would make a megabyte path: keep both ends.
    const path =
      segments.length <= MAX_PATH_SEGMENTS
        ? formatJsonPath(segments)
        : formatJsonPath(segments.slice(0, MAX_PATH_SEGMENTS / 2)) +
          `…${formatJsonPath(segments.slice(-MAX_PATH_SEGMENTS / 2)).slice(1)}`;
    return { ...textPositionAt(text, i), path, expected };
  };
  const skipWhitespace = (): void => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i += 1;
      else return;
    }
  };
  /** Moves past a string at i; returns its raw text including quotes, or null (and i at the bad char). */
  const readString = (): string | null => {
    STRING.lastIndex = i;
    if (STRING.test(text)) {
      const raw = text.slice(i, STRING.lastIndex);
      i = STRING.lastIndex;
      return raw;
    }
    // Find the exact offending character for the message.
    i += 1;
    for (;;) {
      const c = text.charCodeAt(i);
      if (Number.isNaN(c) || c === 0x22 || c < 0x20) return null;
      if (c === 0x5c) {
        const next = text[i + 1];
        if (next === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return null;
          i += 6;
        } else if (next !== undefined && '"\\/bfnrt'.includes(next)) i += 2;
        else return null;
      } else i += 1;
    }
  };
  /** Reads `"key" :` at i into the top object frame. */
  const readKey = (frame: { key: string | null }): TJsonSyntaxLocation | null => {
    frame.key = null; // until the new key is read, the error is in the object, not its previous property
    skipWhitespace();
    if (text[i] !== '"') return fail("a double-quoted property name");
    const raw = readString();
    if (raw === null) return fail(i >= text.length ? "a closing quote" : "a valid string character or escape");
    frame.key = JSON.parse(raw) as string;
    skipWhitespace();
    if (text[i] !== ":") return fail("':' after the property name");
    i += 1;
    return null;
  };

  let isExpectingValue = true;
  for (;;) {
    skipWhitespace();
    if (isExpectingValue) {
      const c = text[i];
      if (c === undefined) return fail("a value (the text ends here: truncated file?)");
      if (c === "{") {
        i += 1;
        skipWhitespace();
        if (text[i] === "}") {
          i += 1;
          isExpectingValue = false;
          continue;
        }
        const frame: TFrame = { isArray: false, key: null };
        stack.push(frame);
        const error = readKey(frame);
        if (error) return error;
        continue;
      }
      if (c === "[") {
        i += 1;
        skipWhitespace();
        if (text[i] === "]") {
          i += 1;
          isExpectingValue = false;
          continue;
        }
        stack.push({ isArray: true, index: 0 });
        continue;
      }
      if (c === '"') {
        if (readString() === null) {
          return fail(i >= text.length ? "a closing quote" : "a valid string character or escape");
        }
        isExpectingValue = false;
        continue;
      }
      NUMBER.lastIndex = i;
      if (NUMBER.test(text)) {
        i = NUMBER.lastIndex;
        isExpectingValue = false;
        continue;
      }
      const literal = LITERALS.find((word) => text.startsWith(word, i));
      if (literal === undefined) return fail("a value (object, array, string, number, true, false or null)");
      i += literal.length;
      isExpectingValue = false;
      continue;
    }

    const top = stack[stack.length - 1];
    if (top === undefined) return i < text.length ? fail("the end of the text after the JSON value") : null;
    const close = top.isArray ? "]" : "}";
    const c = text[i];
    if (c === ",") {
      i += 1;
      if (top.isArray) top.index += 1;
      else {
        const error = readKey(top);
        if (error) return error;
      }
      isExpectingValue = true;
    } else if (c === close) {
      i += 1;
      stack.pop();
    } else {
      return fail(`',' or '${close}'${c === undefined ? " (the text ends here: truncated file?)" : ""}`);
    }
  }
}
