import { GraphFormatError, makeIssue, type TGraphFormatErrorCode, type TGraphFormatIssue } from "./graph-format-error";

/** Enough to fix a file in one pass, small enough that 10^6 broken links never become 10^6 objects. */
export const DEFAULT_MAX_ISSUES = 20;

/**
 * Gathers problems while a graph is read. Reporting every problem (not just the first) saves users
 * round trips, but a file of garbage must still fail fast: at `maxIssues` the collector throws, which stops
 * every validation loop at once.
 */
export class IssueCollector {
  readonly issues: TGraphFormatIssue[] = [];

  constructor(readonly maxIssues: number = DEFAULT_MAX_ISSUES) {}

  add(code: TGraphFormatErrorCode, path: string, expected: string, received: string): void {
    this.issues.push(makeIssue(code, path, expected, received));
    if (this.issues.length >= this.maxIssues) throw new GraphFormatError(this.issues, { isTruncated: true });
  }

  /** Reports a problem that makes reading on pointless (the document is not even an object). */
  fail(code: TGraphFormatErrorCode, path: string, expected: string, received: string): never {
    this.issues.push(makeIssue(code, path, expected, received));
    throw new GraphFormatError(this.issues);
  }

  get hasIssues(): boolean {
    return this.issues.length > 0;
  }

  throwIfAny(): void {
    if (this.issues.length > 0) throw new GraphFormatError(this.issues);
  }
}
