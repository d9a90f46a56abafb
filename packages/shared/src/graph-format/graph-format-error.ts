// The one error type of the graph format. Clients branch on `code`, people read `message`; `path` names the
// field in JSON-path form (`$.links[5].target`) so an upload form can point at it.

export type TGraphFormatErrorCode =
  /** The bytes are not UTF-8 text. */
  | "INVALID_ENCODING"
  /** The text is not JSON (truncated file, stray character); `position` says where. */
  | "INVALID_JSON"
  /** A field is missing or has the wrong type or form. */
  | "INVALID_FIELD"
  /** A link endpoint (or other reference that must resolve) names no node. */
  | "DANGLING_REFERENCE";

export interface TGraphFormatIssue {
  readonly code: TGraphFormatErrorCode;
  /** JSON path of the offending field, `$` for the document itself. */
  readonly path: string;
  /** The form the field must have, in words. */
  readonly expected: string;
  /** What arrived, truncated (see describeReceived). */
  readonly received: string;
  readonly message: string;
}

/** Where in the text a syntax error sits. `offset` counts UTF-16 code units of the decoded text. */
export interface TTextPosition {
  readonly offset: number;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

export function makeIssue(
  code: TGraphFormatErrorCode,
  path: string,
  expected: string,
  received: string,
): TGraphFormatIssue {
  return { code, path, expected, received, message: `${path}: expected ${expected}, received ${received}` };
}

export class GraphFormatError extends Error {
  override readonly name = "GraphFormatError";
  readonly code: TGraphFormatErrorCode;
  readonly path: string;
  readonly expected: string;
  readonly received: string;
  /** Every problem found before reading stopped (at most the collector's cap), first one first. */
  readonly issues: readonly TGraphFormatIssue[];
  readonly position: TTextPosition | undefined;
  /** True when reading stopped at the cap, so more problems may exist after the last issue. */
  readonly isTruncated: boolean;

  constructor(issues: readonly TGraphFormatIssue[], options: { position?: TTextPosition; isTruncated?: boolean } = {}) {
    const first = issues[0];
    if (first === undefined) throw new TypeError("GraphFormatError needs at least one issue");
    const more = issues.length > 1 ? ` (and ${issues.length - 1}${options.isTruncated ? "+" : ""} more)` : "";
    super(`${first.message}${more}`);
    this.code = first.code;
    this.path = first.path;
    this.expected = first.expected;
    this.received = first.received;
    this.issues = issues;
    this.position = options.position;
    this.isTruncated = options.isTruncated ?? false;
  }

  toJSON(): {
    code: TGraphFormatErrorCode;
    path: string;
    message: string;
    expected: string;
    received: string;
    position?: TTextPosition;
    issues: readonly TGraphFormatIssue[];
  } {
    return {
      code: this.code,
      path: this.path,
      message: this.message,
      expected: this.expected,
      received: this.received,
      ...(this.position ? { position: this.position } : {}),
      issues: this.issues,
    };
  }
}
