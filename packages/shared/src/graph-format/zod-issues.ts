import type { z } from "zod";
import { describeReceived } from "./describe-received";
import type { IssueCollector } from "./issue-collector";
import { formatJsonPath, type TJsonPathSegment } from "./json-path";

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function expectedOf(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type") return issue.expected === "int" ? "an integer" : `${issue.expected}`;
  if (issue.code === "invalid_union") return "one of the allowed forms";
  // zod's messages for ranges and formats already read as "expected ...".
  return issue.message.replace(/^Invalid input: /, "").replace(/^(Too (small|big)|Invalid [a-z]+): /, "");
}

/** Moves zod's issues for `root` (found at `basePath` in the file) into the collector, with JSON paths. */
export function collectZodIssues(
  issues: IssueCollector,
  basePath: readonly TJsonPathSegment[],
  root: unknown,
  error: z.ZodError,
): void {
  for (const issue of error.issues) {
    const segments = issue.path.map((key) => (typeof key === "symbol" ? String(key) : key));
    issues.add(
      "INVALID_FIELD",
      formatJsonPath([...basePath, ...segments]),
      expectedOf(issue),
      describeReceived(valueAt(root, issue.path)),
    );
  }
}
