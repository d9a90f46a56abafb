import { GraphFormatError, makeIssue } from "./graph-format-error";
import { locateJsonSyntaxError, textPositionAt } from "./locate-json-syntax-error";

export type TGraphInput = string | Uint8Array;

// fatal: a file with invalid UTF-8 is reported, not silently given U+FFFD replacement characters.
// TextDecoder (not Buffer) keeps this module usable in the browser's parsing worker too.
const UTF8 = new TextDecoder("utf-8", { fatal: true });

export function decodeGraphText(input: TGraphInput): string {
  if (typeof input === "string") return input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  try {
    return UTF8.decode(input); // strips a leading BOM itself
  } catch {
    throw new GraphFormatError([
      makeIssue("INVALID_ENCODING", "$", "UTF-8 text", `${input.byteLength} bytes that are not valid UTF-8`),
    ]);
  }
}

/**
 * JSON.parse with errors that say where: position (offset, line, column), the JSON path open at that point,
 * and what was expected. The fast path is the plain native parse; the scanner runs only on failure.
 */
export function parseJsonText(input: TGraphInput): unknown {
  const text = decodeGraphText(input);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    const location = locateJsonSyntaxError(text);
    if (location !== null) {
      const near = text.slice(location.offset, location.offset + 20);
      const received = location.offset >= text.length ? "the end of the text" : `the text ${JSON.stringify(near)}`;
      const issue = makeIssue("INVALID_JSON", location.path, location.expected, received);
      const where = `line ${location.line}, column ${location.column} (offset ${location.offset})`;
      throw new GraphFormatError([{ ...issue, message: `Invalid JSON at ${where}, in ${issue.message}` }], {
        position: textPositionAt(text, location.offset),
      });
    }
    // The scanner found nothing V8 objects to: fall back to V8's own words and position, if any.
    const offset = Number(/at position (\d+)/.exec(error.message)?.[1] ?? text.length);
    const issue = makeIssue("INVALID_JSON", "$", "valid JSON", error.message);
    throw new GraphFormatError([issue], { position: textPositionAt(text, offset) });
  }
}
