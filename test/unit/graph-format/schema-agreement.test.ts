import { describe, expect, it } from "vitest";
import { ZGraphNodeSchema } from "@circuitboard/shared/graph-format";
import { IssueCollector } from "@circuitboard/shared/graph-format/issue-collector";
import { formatJsonPath } from "@circuitboard/shared/graph-format/json-path";
import { validateNodeJson } from "@circuitboard/shared/graph-format/validate-node-json";
import { makeNode } from "./make-graph-json";

// The import checks nodes by hand for speed; ZGraphNodeSchema is the specification. Both must accept and
// reject the same nodes, and name the same first field.

const NODE_VARIANTS: readonly { name: string; node: unknown }[] = [
  { name: "a complete circuit-tracer node", node: makeNode("0_17_1") },
  { name: "an integer layer", node: makeNode("0_17_1", { layer: 3 }) },
  { name: 'layer "E"', node: makeNode("E_2_0", { layer: "E" }) },
  {
    name: "null feature, activation and influence",
    node: makeNode("x", { feature: null, activation: null, influence: null }),
  },
  { name: "only the required fields", node: { node_id: "x", layer: "1", ctx_idx: 0, feature_type: "logit" } },
  { name: "extra keys", node: makeNode("x", { my_key: { any: ["thing"] } }) },
  {
    name: "optional circuit-tracer fields",
    node: makeNode("x", { token_prob: 0.4, is_target_logit: true, run_idx: 0, reverse_ctx_idx: 2 }),
  },
  { name: "a negative layer", node: makeNode("x", { layer: -1 }) },
  { name: 'layer "01"', node: makeNode("x", { layer: "01" }) },
  { name: 'layer "e"', node: makeNode("x", { layer: "e" }) },
  { name: "a fractional layer", node: makeNode("x", { layer: 1.5 }) },
  { name: "an empty node_id", node: makeNode("") },
  { name: "a numeric node_id", node: makeNode("x", { node_id: 12 }) },
  { name: "a string feature", node: makeNode("x", { feature: "12" }) },
  { name: "an unsafe integer feature", node: makeNode("x", { feature: 2 ** 60 }) },
  { name: "a null ctx_idx", node: makeNode("x", { ctx_idx: null }) },
  { name: "a numeric feature_type", node: makeNode("x", { feature_type: 1 }) },
  { name: "a null jsNodeId", node: makeNode("x", { jsNodeId: null }) },
  { name: "a null clerp", node: makeNode("x", { clerp: null }) },
  { name: "a boolean activation", node: makeNode("x", { activation: true }) },
  { name: "a null token_prob", node: makeNode("x", { token_prob: null }) },
  { name: "a string is_target_logit", node: makeNode("x", { is_target_logit: "true" }) },
  { name: "a fractional run_idx", node: makeNode("x", { run_idx: 0.5 }) },
  { name: "a string reverse_ctx_idx", node: makeNode("x", { reverse_ctx_idx: "0" }) },
  { name: "two bad fields (first must agree)", node: makeNode("x", { layer: "?", clerp: 3 }) },
  { name: "an array", node: [] },
  { name: "null", node: null },
];

describe("the hand-written node check agrees with ZGraphNodeSchema", () => {
  for (const { name, node } of NODE_VARIANTS) {
    it(name, () => {
      const zodResult = ZGraphNodeSchema.safeParse(node);
      const issues = new IssueCollector();
      const isValid = validateNodeJson(node, 7, issues);
      expect(isValid).toBe(zodResult.success);
      const zodFirstPath = zodResult.success
        ? null
        : formatJsonPath(["nodes", 7, ...(zodResult.error.issues[0]!.path as (string | number)[])]);
      expect(issues.issues[0]?.path ?? null).toBe(zodFirstPath);
    });
  }
});
