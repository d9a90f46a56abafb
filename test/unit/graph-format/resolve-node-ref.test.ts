import { describe, expect, it } from "vitest";
import { parseGraph, resolveNodeRef, resolveSubgraph } from "@circuitboard/shared/graph-format";
import { makeGraphJson, makeNode, type TJsonObject } from "./make-graph-json";

function graphWithQParams(qParams: TJsonObject, extraNodes: TJsonObject[] = []) {
  const json = makeGraphJson();
  json.qParams = qParams;
  (json.nodes as TJsonObject[]).push(...extraNodes);
  return parseGraph(JSON.stringify(json));
}

describe("pins, supernodes and clickedId resolve by node_id or by jsNodeId", () => {
  it("resolves node_id references to that node", () => {
    const graph = graphWithQParams({
      pinnedIds: ["3_9999_1"],
      supernodes: [["out", "3_9999_1", "0_17_1"]],
      clickedId: "0_17_1",
    });
    expect(resolveSubgraph(graph)).toEqual({
      pinned: [4],
      supernodes: [{ label: "out", members: [4, 1] }],
      clicked: 1,
      unresolved: [],
    });
  });

  it("resolves a jsNodeId reference (Anthropic-model files) to every node carrying it, across positions", () => {
    const sameFeatureLater = makeNode("0_17_0", { feature: 170, ctx_idx: 0, jsNodeId: "0_17-0" });
    const graph = graphWithQParams({ pinnedIds: ["0_17-0"], supernodes: [["cat", "L_9999-1"]] }, [sameFeatureLater]);
    expect(resolveNodeRef(graph, "0_17-0")).toEqual([1, 5]);
    const subgraph = resolveSubgraph(graph);
    expect(subgraph.pinned).toEqual([1, 5]);
    expect(subgraph.supernodes).toEqual([{ label: "cat", members: [4] }]);
    expect(graph.warnings).toEqual([]);
  });

  it("prefers the node_id when a reference is both one node's node_id and another's jsNodeId", () => {
    const confusing = makeNode("x", { jsNodeId: "0_17_1" });
    const graph = graphWithQParams({ pinnedIds: ["0_17_1"] }, [confusing]);
    expect(resolveNodeRef(graph, "0_17_1")).toEqual([1]);
  });

  it("lists references that name nothing, with their JSON paths, and warns about them", () => {
    const graph = graphWithQParams({
      pinnedIds: ["nope"],
      supernodes: [["s", "0_17_1", "gone"]],
      clickedId: "missing",
    });
    expect(resolveSubgraph(graph).unresolved).toEqual([
      { path: "$.qParams.pinnedIds[0]", ref: "nope" },
      { path: "$.qParams.supernodes[0][2]", ref: "gone" },
      { path: "$.qParams.clickedId", ref: "missing" },
    ]);
    expect(graph.warnings.map((warning) => warning.code)).toEqual([
      "UNRESOLVED_REFERENCE",
      "UNRESOLVED_REFERENCE",
      "UNRESOLVED_REFERENCE",
    ]);
  });
});
