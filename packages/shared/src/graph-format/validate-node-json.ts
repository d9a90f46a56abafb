import { describeReceived } from "./describe-received";
import { exceedsDepth, MAX_NESTING_DEPTH } from "./exceeds-depth";
import { LAYER_STRING_PATTERN, ZQkTracingResultsSchema, type TGraphNodeJson } from "./graph-node-schema";
import type { IssueCollector } from "./issue-collector";
import { joinJsonPath } from "./json-path";
import { collectZodIssues } from "./zod-issues";

// The rules of ZGraphNodeSchema, checked by hand and in the same key order (so the first reported path is
// the same as zod's). A test runs both over the same table of nodes to keep them in agreement.

const isOptional = (value: unknown): boolean => value === undefined;
const isNullableNumber = (value: unknown): boolean =>
  value === undefined || value === null || (typeof value === "number" && Number.isFinite(value));

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** True when `nodes[index]` is a readable node; otherwise reports each bad field and returns false. */
export function validateNodeJson(value: unknown, index: number, issues: IssueCollector): value is TGraphNodeJson {
  const path = `$.nodes[${index}]`;
  if (!isJsonObject(value)) {
    issues.add("INVALID_FIELD", path, "a node object", describeReceived(value));
    return false;
  }
  let isValid = true;
  const check = (isFieldValid: boolean, key: string, expected: string): void => {
    if (isFieldValid) return;
    issues.add("INVALID_FIELD", joinJsonPath(path, key), expected, describeReceived(value[key]));
    isValid = false;
  };
  const { node_id, feature, layer, ctx_idx, feature_type } = value;
  check(typeof node_id === "string" && node_id.length > 0, "node_id", "a non-empty string");
  check(feature === undefined || feature === null || Number.isSafeInteger(feature), "feature", "an integer or null");
  check(
    (typeof layer === "number" && Number.isSafeInteger(layer) && layer >= -1) ||
      (typeof layer === "string" && LAYER_STRING_PATTERN.test(layer)),
    "layer",
    'a layer number (integer >= 0 or its decimal string), "E" or -1 (embeddings)',
  );
  check(typeof ctx_idx === "number" && Number.isSafeInteger(ctx_idx) && ctx_idx >= 0, "ctx_idx", "an integer >= 0");
  check(typeof feature_type === "string", "feature_type", "a string");
  check(isOptional(value.jsNodeId) || typeof value.jsNodeId === "string", "jsNodeId", "a string");
  check(isOptional(value.clerp) || typeof value.clerp === "string", "clerp", "a string");
  check(isNullableNumber(value.influence), "influence", "a finite number or null");
  check(isNullableNumber(value.activation), "activation", "a finite number or null");
  const { token_prob, is_target_logit, run_idx, reverse_ctx_idx } = value;
  check(
    isOptional(token_prob) || (typeof token_prob === "number" && Number.isFinite(token_prob)),
    "token_prob",
    "a finite number",
  );
  check(isOptional(is_target_logit) || typeof is_target_logit === "boolean", "is_target_logit", "a boolean");
  check(isOptional(run_idx) || Number.isSafeInteger(run_idx), "run_idx", "an integer");
  check(isOptional(reverse_ctx_idx) || Number.isSafeInteger(reverse_ctx_idx), "reverse_ctx_idx", "an integer");
  if (value.qk_tracing_results !== undefined) {
    // Rare and nested: zod itself is the simplest correct check here.
    const result = ZQkTracingResultsSchema.safeParse(value.qk_tracing_results);
    if (!result.success) {
      collectZodIssues(issues, ["nodes", index, "qk_tracing_results"], value.qk_tracing_results, result.error);
      isValid = false;
    }
  }
  // Unknown keys are kept for export, so they must stay printable (exceeds-depth.ts).
  if (isValid && exceedsDepth(value, MAX_NESTING_DEPTH - 2)) {
    issues.add("INVALID_FIELD", path, `at most ${MAX_NESTING_DEPTH} levels of nesting`, "deeper nesting");
    isValid = false;
  }
  return isValid;
}
