import { describe, expect, it } from "vitest";
import {
  deriveGraphIdentity,
  exportGraph,
  exportGraphChunks,
  isFilePath,
  parseGraph,
  type TGraph,
} from "@circuitboard/shared/graph-format";
import { expectSameGraph, weightBits } from "./graph-equality";
import { FIXTURES, readFixture } from "./graph-fixtures";
import { cloneJson, makeGraphJson, makeNode } from "./make-graph-json";

describe("import -> export -> import gives the same graph", () => {
  for (const fixture of FIXTURES) {
    it(`for ${fixture.name}`, () => {
      const first = parseGraph(readFixture(fixture));
      const exported = exportGraph(first);
      const second = parseGraph(exported);
      // The one intended change: a file path in metadata.scan becomes the transcoder-set id (graph-identity.ts).
      const scan = first.metadata.scan;
      if (typeof scan === "string" && isFilePath(scan)) {
        expect(second.metadata.scan).toBe(deriveGraphIdentity(first.metadata).transcoderSetId);
        expectSameGraph(second, { ...first, metadata: { ...first.metadata, scan: second.metadata.scan } });
      } else {
        expectSameGraph(second, first);
      }
      // Export is a fixed point: a second export is byte-identical.
      expect(exportGraph(second)).toBe(exported);
    });
  }

  it("keeps every weight bit for bit, including -0, subnormals, extremes and long decimals", () => {
    const weights = [
      -0,
      0,
      5e-324,
      -5e-324,
      1.7976931348623157e308,
      -2.2250738585072014e-308,
      0.1 + 0.2,
      12.964216232299805,
      1 / 3,
    ];
    const json = makeGraphJson();
    json.links = weights.map((weight) => ({ source: "0_17_1", target: "3_9999_1", weight }));
    const first = parseGraph(JSON.stringify(json).replace('"weight":0}', '"weight":-0}'));
    expect(Object.is(first.links.weight[0], -0)).toBe(true);
    const second = parseGraph(exportGraph(first));
    expect(Array.from(weightBits(second))).toEqual(Array.from(weightBits(first)));
    expect(Array.from(second.links.weight)).toEqual(weights);
  });

  it("keeps extra keys on the document, metadata, qParams, nodes and links", () => {
    const json = makeGraphJson();
    json.generator_notes = { why: "kept" };
    (json.metadata as Record<string, unknown>).custom_field = [1, { deep: true }];
    (json.qParams as Record<string, unknown>).clerps = [["170", "cat"]];
    (json.qParams as Record<string, unknown>).pruningThreshold = 0.6;
    (json.nodes as Record<string, unknown>[])[1]!.my_score = 0.25;
    (json.links as Record<string, unknown>[])[2]!.note = "checked by hand";
    const first = parseGraph(JSON.stringify(json));
    expect(first.extras).toEqual({ generator_notes: { why: "kept" } });
    expect(first.links.extras.get(2)).toEqual({ note: "checked by hand" });
    expect(first.links.extras.size).toBe(1);
    const second = parseGraph(exportGraph(first));
    expectSameGraph(second, first);
    expect(second.nodes[1]!.json.my_score).toBe(0.25);
    expect(second.metadata.custom_field).toEqual([1, { deep: true }]);
    expect(second.qParams.clerps).toEqual([["170", "cat"]]);
  });

  it("keeps integer layers as integers and string layers as strings", () => {
    const json = makeGraphJson();
    (json.nodes as Record<string, unknown>[])[1]!.layer = 0;
    const second = parseGraph(exportGraph(parseGraph(JSON.stringify(json))));
    expect(second.nodes[1]!.json.layer).toBe(0);
    expect(second.nodes[3]!.json.layer).toBe("1");
    expect(second.nodes.map((node) => node.layer)).toEqual([null, 0, 1, 1, 3]);
  });

  it("reads qParams: null as the empty saved state", () => {
    const json = makeGraphJson();
    json.qParams = null;
    const first = parseGraph(JSON.stringify(json));
    expect(first.qParams).toEqual({ pinnedIds: [], supernodes: [], linkType: "both", clickedId: "", sg_pos: "" });
    expectSameGraph(parseGraph(exportGraph(first)), first);
  });

  it("fills fields Neuronpedia requires when the source lacked them, then stays fixed", () => {
    const json = makeGraphJson();
    delete json.qParams;
    const metadata = json.metadata as Record<string, unknown>;
    delete metadata.slug;
    delete metadata.scan;
    delete metadata.prompt;
    for (const node of json.nodes as Record<string, unknown>[]) {
      delete node.jsNodeId;
      delete node.clerp;
      delete node.feature;
      delete node.influence;
      delete node.activation;
    }
    const first = parseGraph(JSON.stringify(json));
    expect(first.qParams).toEqual({ pinnedIds: [], supernodes: [], linkType: "both", clickedId: "", sg_pos: "" });
    const second = parseGraph(exportGraph(first));
    expect(second.metadata).toMatchObject({ slug: "", scan: "", prompt: "<bos> cat" });
    expect(second.nodes.map((node) => node.json.jsNodeId)).toEqual([
      "E_651-1",
      "0_17-0",
      "1_1-0",
      "1_-1-1",
      "L_9999-1",
    ]);
    expect(second.nodes.every((node) => node.json.clerp === "" && node.json.feature === null)).toBe(true);
    expect(second.qParams).toEqual(first.qParams);
    expectSameGraph(parseGraph(exportGraph(second)), second);
  });

  it("reads null generation/pruning settings (gpu-worker: unlimited max_feature_nodes) as not set", () => {
    const json = makeGraphJson();
    Object.assign(json.metadata as Record<string, unknown>, {
      generation_settings: { max_n_logits: 10, desired_logit_prob: 0.95, batch_size: null, max_feature_nodes: null },
      pruning_settings: { node_threshold: 0.8, edge_threshold: null },
    });
    const first = parseGraph(JSON.stringify(json));
    expect(first.metadata.generation_settings).toEqual({ max_n_logits: 10, desired_logit_prob: 0.95 });
    expect(first.metadata.pruning_settings).toEqual({ node_threshold: 0.8 });
    expect(Object.keys(first.metadata)).toEqual(Object.keys(json.metadata as object));
    expectSameGraph(parseGraph(exportGraph(first)), first);
  });

  it("writes current labels to clerp and a saved subgraph to qParams", () => {
    const first = parseGraph(JSON.stringify(makeGraphJson()));
    const labelled = parseGraph(
      exportGraph(first, {
        labels: new Map([["0_17_1", "cat-ness"]]),
        subgraph: { pinnedIds: ["0_17_1", "E_651_1"], supernodes: [["input", "E_651_1"]], clickedId: "0_17_1" },
      }),
    );
    expect(labelled.nodes.map((node) => node.clerp)).toEqual(["", "cat-ness", "", "", ""]);
    expect(labelled.qParams).toEqual({
      pinnedIds: ["0_17_1", "E_651_1"],
      supernodes: [["input", "E_651_1"]],
      linkType: "both",
      clickedId: "0_17_1",
      sg_pos: "",
    });
    const byFunction = parseGraph(
      exportGraph(first, { labels: (node) => (node.kind === "logit" ? 'Output " sat"' : undefined) }),
    );
    expect(byFunction.nodes[4]!.clerp).toBe('Output " sat"');
    expect(byFunction.nodes[1]!.clerp).toBe("");
  });

  it("yields the same text in chunks as in one piece, whatever the chunk size", () => {
    const graph: TGraph = parseGraph(readFixture(FIXTURES[0]!)); // demo-begat: 1,895 links
    const whole = exportGraph(graph);
    for (const linksPerChunk of [1, 7, 1895, 10_000]) {
      const chunks = Array.from(exportGraphChunks(graph, { linksPerChunk }));
      expect(chunks.length).toBe(2 + Math.ceil(1895 / linksPerChunk));
      expect(chunks.join("")).toBe(whole);
    }
  });

  it("reads duplicate node_ids, resolving links to the last one as the reference viewers do", () => {
    const json = makeGraphJson();
    (json.nodes as unknown[]).push(makeNode("0_17_1", { feature: 170, ctx_idx: 1, clerp: "second copy" }));
    const graph = parseGraph(JSON.stringify(cloneJson(json)));
    expect(graph.counts.duplicateNodeIds).toBe(1);
    expect(graph.nodeIndexById.get("0_17_1")).toBe(5);
    expect(graph.nodes[graph.links.target[0]!]!.clerp).toBe("second copy");
    expect(graph.warnings.map((warning) => [warning.code, warning.path])).toEqual([
      ["DUPLICATE_NODE_ID", "$.nodes[5].node_id"],
    ]);
    expectSameGraph(parseGraph(exportGraph(graph)), graph);
  });
});
