import { describe, expect, it } from "vitest";
import { GraphFormatError, parseGraph } from "@circuitboard/shared/graph-format";
import { buildViewerGraph } from "~/app/(viewer)/_components/build-viewer-graph";

// The shape of OpenMOSS CRM graphs in the wild (Lorsa attention nodes, a chess model, published on GitHub):
// integer layer -1 for embeddings, feature types this viewer does not know, no qParams, no metadata.scan.
// Synthetic and tiny, written for this test; the real files are not redistributable here.
function crmGraph(
  patch: (g: { metadata: Record<string, unknown>; nodes: Record<string, unknown>[] }) => void = () => {},
) {
  const g = {
    metadata: { slug: "chess-crm", prompt_tokens: ["<bos>", "e4", "e5", "Nf3"], prompt: "e4 e5 Nf3" },
    nodes: [
      { node_id: "E_11_0", feature: 11, layer: -1, ctx_idx: 0, feature_type: "embedding", clerp: "" },
      { node_id: "E_12_1", feature: 12, layer: -1, ctx_idx: 1, feature_type: "embedding", clerp: "" },
      { node_id: "0_5_1", feature: 5, layer: 0, ctx_idx: 1, feature_type: "lorsa", clerp: "attends to e4" },
      { node_id: "1_7_2", feature: 7, layer: 1, ctx_idx: 2, feature_type: "cross layer transcoder", clerp: "" },
      { node_id: "1_-1_2", feature: -1, layer: 1, ctx_idx: 2, feature_type: "lorsa error", clerp: "" },
      { node_id: "1_3_2", feature: 3, layer: 1, ctx_idx: 2, feature_type: "qk head", clerp: "" },
      { node_id: "3_99_3", feature: 99, layer: 3, ctx_idx: 3, feature_type: "logit", clerp: 'Output "Nc6"' },
    ],
    links: [
      { source: "E_11_0", target: "0_5_1", weight: 0.5 },
      { source: "0_5_1", target: "1_7_2", weight: 0.25 },
      { source: "1_3_2", target: "3_99_3", weight: -0.1 },
      { source: "1_7_2", target: "3_99_3", weight: 0.75 },
    ],
  };
  patch(g);
  return JSON.stringify(g);
}

describe("lenient import: what can be drawn is accepted, with warnings", () => {
  it("reads an OpenMOSS-CRM-shaped file: layer -1 embeddings, Lorsa and unknown feature types, no qParams or scan", () => {
    const graph = parseGraph(crmGraph());
    expect(graph.counts.nodes).toBe(7);
    expect(graph.nodes.filter((n) => n.kind === "embedding").map((n) => n.layer)).toEqual([null, null]);
    expect(graph.nodes.find((n) => n.nodeId === "0_5_1")!.kind).toBe("feature");
    expect(graph.nodes.find((n) => n.nodeId === "1_3_2")!.kind).toBe("other");
    const codes = graph.warnings.map((w) => w.code);
    expect(codes).toContain("EMBEDDING_LAYER_MINUS_ONE");
    expect(codes).toContain("UNKNOWN_FEATURE_TYPE");
    const unknown = graph.warnings.find((w) => w.code === "UNKNOWN_FEATURE_TYPE")!;
    expect(unknown.path).toBe("$.nodes[5].feature_type");
    expect(unknown.message).toMatch(/"qk head" are drawn as generic nodes/);
    expect(graph.qParams.pinnedIds).toEqual([]);
  });

  it("draws it: embeddings in the embedding band, every node placed", () => {
    const viewer = buildViewerGraph(parseGraph(crmGraph()), null);
    expect(Array.from(viewer.layers.slice(0, 2))).toEqual([-1, -1]);
    expect(viewer.kinds[5]).toBe(4); // "other": a generic glyph
    expect(viewer.featureTypes[5]).toBe("qk head");
  });

  it.each([
    ["a layer below -1", (g: { nodes: Record<string, unknown>[] }) => (g.nodes[0]!.layer = -2), "$.nodes[0].layer"],
    [
      "a missing ctx_idx",
      (g: { nodes: Record<string, unknown>[] }) => delete g.nodes[2]!.ctx_idx,
      "$.nodes[2].ctx_idx",
    ],
    [
      "no prompt_tokens (positions index into them)",
      (g: { metadata: Record<string, unknown> }) => delete g.metadata.prompt_tokens,
      "$.metadata.prompt_tokens",
    ],
  ] as const)("rejects what cannot be drawn: %s, naming %s", (_name, patch, path) => {
    let error: unknown;
    try {
      parseGraph(crmGraph(patch as never));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GraphFormatError);
    expect((error as GraphFormatError).message).toContain(path);
  });
});
