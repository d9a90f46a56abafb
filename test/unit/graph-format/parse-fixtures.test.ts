import { describe, expect, it } from "vitest";
import {
  decodeFeature,
  getNodeThreshold,
  parseGraph,
  resolveSubgraph,
  ZGraphFileSchema,
  type TGraph,
} from "@circuitboard/shared/graph-format";
import { CARRIED, readCarried } from "../../fixtures";
import { syntheticText, VARIANTS } from "../../fixtures/make-synthetic-graphs";
import { FIXTURES, MEOW, readFixture, readFixtureJson, SMALL_BIG } from "./graph-fixtures";

describe("parseGraph reads every fixture (carried; real ones in the interop suite)", () => {
  for (const fixture of FIXTURES) {
    describe(fixture.name, () => {
      const graph: TGraph = parseGraph(readFixture(fixture));
      const json = readFixtureJson(fixture);
      const nodesJson = json.nodes as Record<string, unknown>[];

      it("has the node, link, pin and supernode counts of the fixtures README", () => {
        expect(graph.counts).toMatchObject({
          nodes: fixture.nodes,
          links: fixture.links,
          pinnedIds: fixture.pinnedIds,
          supernodes: fixture.supernodes,
        });
        expect(graph.nodes).toHaveLength(fixture.nodes);
        expect(graph.links.source).toHaveLength(fixture.links);
        expect(graph.links.weight).toBeInstanceOf(Float64Array);
      });

      it("gives each link the node indices and weight of the file", () => {
        const linksJson = json.links as { source: string; target: string; weight: number }[];
        // One assertion over all links (per-link expects cost seconds); the first mismatches are printed.
        const mismatches = linksJson.flatMap((link, i) => {
          const read = {
            source: graph.nodes[graph.links.source[i]!]!.nodeId,
            target: graph.nodes[graph.links.target[i]!]!.nodeId,
            weight: graph.links.weight[i],
          };
          const isSame =
            read.source === link.source && read.target === link.target && Object.is(read.weight, link.weight);
          return isSame ? [] : [{ i, file: link, read }];
        });
        expect(mismatches.slice(0, 5)).toEqual([]);
      });

      it("classifies kinds from feature_type and reads string layers, including E and the logit layer", () => {
        const byType = new Map<string, number>();
        for (const node of nodesJson)
          byType.set(String(node.feature_type), (byType.get(String(node.feature_type)) ?? 0) + 1);
        expect(graph.counts.features).toBe(byType.get("cross layer transcoder"));
        expect(graph.counts.errors).toBe(byType.get("mlp reconstruction error"));
        expect(graph.counts.embeddings).toBe(byType.get("embedding"));
        expect(graph.counts.logits).toBe(byType.get("logit"));
        for (const node of graph.nodes) {
          if (node.kind === "embedding") expect(node.layer).toBeNull();
          else expect(node.layer).toBe(Number(node.json.layer));
          if (node.kind === "logit") expect(node.layer).toBe(fixture.nLayers + 1);
          expect(node.ctxIdx).toBe(node.json.ctx_idx);
        }
        expect(graph.nLayers).toBe(fixture.nLayers);
      });

      it("keeps null activation and influence as null, not 0", () => {
        for (const node of graph.nodes) {
          expect(node.activation).toBe(node.json.activation ?? null);
          expect(node.influence).toBe(node.json.influence ?? null);
          if (node.kind === "logit") expect(node.influence).toBeNull();
          if (node.kind !== "feature") expect(node.activation).toBeNull();
        }
      });

      it("detects the meaning of `feature` and decodes it back to the (layer, index) of each node_id", () => {
        expect(graph.featureEncoding.kind).toBe(fixture.featureEncoding);
        const features = graph.nodes.filter((node) => node.kind === "feature");
        expect(features.length).toBeGreaterThan(0);
        for (const node of features) {
          const [layer, index] = node.nodeId.split("_").map(Number);
          expect({ layer: node.featureLayer, index: node.featureIndex }).toEqual({ layer, index });
          // An index-within-layer value carries no layer: the node_id supplies it.
          if (graph.featureEncoding.kind !== "index") {
            expect(decodeFeature(node.feature!, graph.featureEncoding)).toEqual({ layer, index });
          }
        }
      });

      it("indexes every node by node_id and resolves every saved pin and supernode member", () => {
        const lastIndexOf = new Map(graph.nodes.map((node) => [node.nodeId, node.index])); // a later copy wins
        for (const node of graph.nodes) expect(graph.nodeIndexById.get(node.nodeId)).toBe(lastIndexOf.get(node.nodeId));
        const subgraph = resolveSubgraph(graph);
        expect(subgraph.unresolved).toEqual([]);
        expect(subgraph.pinned).toHaveLength(fixture.pinnedIds);
        expect(subgraph.supernodes).toHaveLength(fixture.supernodes);
        expect(graph.warnings.filter((w) => w.code !== "DUPLICATE_NODE_ID")).toEqual([]);
        expect(graph.counts.duplicateNodeIds).toBe(graph.nodes.length - lastIndexOf.size);
      });

      it("is also accepted by the zod reference schema of the whole file", () => {
        expect(ZGraphFileSchema.safeParse(json).success).toBe(true);
      });
    });
  }

  it.skipIf(!SMALL_BIG)(
    "interop: reads the small-big-en saved subgraph: 17 pinned node_ids and 5 labelled supernodes",
    () => {
      const graph = parseGraph(readFixture(SMALL_BIG!));
      const subgraph = resolveSubgraph(graph);
      expect(subgraph.supernodes.map((supernode) => supernode.label)).toEqual([
        'Output "big" or "large"',
        "say big / huge / large",
        "opposite",
        "small",
        "large / size",
      ]);
      expect(subgraph.supernodes.map((supernode) => supernode.members.length)).toEqual([2, 2, 3, 3, 3]);
      expect(graph.nodes[subgraph.pinned[0]!]!.nodeId).toBe("27_13210_8");
      // jsNodeId is not unique in these files: pins must resolve by node_id.
      expect(new Set(graph.nodes.map((node) => node.json.jsNodeId)).size).toBeLessThan(graph.nodes.length);
    },
  );

  it.skipIf(!SMALL_BIG)(
    "interop: prefers node_threshold over the stray nodeThreshold when a file has both (small-big-en: 0.7 vs 0.65)",
    () => {
      const graph = parseGraph(readFixture(SMALL_BIG!));
      expect(graph.metadata.nodeThreshold).toBe(0.65);
      expect(getNodeThreshold(graph.metadata)).toBe(0.7);
      expect(graph.metadata.info?.neuronpedia_source_set).toBe("gemmascope-transcoder-16k");
    },
  );

  it.skipIf(!MEOW)("interop: reads meow's legacy error ids 0_{layer}_{ctx} as error nodes of their own layer", () => {
    const graph = parseGraph(readFixture(MEOW!));
    const node = graph.nodes[graph.nodeIndexById.get("0_0_5")!]!;
    expect(node).toMatchObject({ kind: "error", layer: 0, ctxIdx: 5, feature: -1, featureIndex: null });
    const deeper = graph.nodes.find((candidate) => candidate.kind === "error" && candidate.layer! > 0)!;
    expect(deeper.nodeId).toBe(`0_${deeper.layer}_${deeper.ctxIdx}`);
  });

  it("reads legacy error ids 0_{layer}_{ctx} as error nodes of their own layer, not layer-0 features", () => {
    const graph = parseGraph(readCarried(CARRIED.neuronpediaFeatured));
    expect(graph.nodes[graph.nodeIndexById.get("0_2_3")!]).toMatchObject({ kind: "error", layer: 2, ctxIdx: 3 });
    expect(graph.nodes[graph.nodeIndexById.get("0_0_1")!]).toMatchObject({ kind: "error", layer: 0, ctxIdx: 1 });
    expect(graph.counts.errors).toBe(12);
  });

  it("resolves pins and supernodes given by jsNodeId to the nodes they name", () => {
    const graph = parseGraph(readCarried(CARRIED.neuronpediaFeatured));
    const subgraph = resolveSubgraph(graph);
    expect(subgraph.pinned.map((i) => graph.nodes[i]!.nodeId)).toEqual([
      "0_17_2",
      "0_4096_3",
      "1_255_3",
      "2_1023_3",
      "2_77_2",
      "4_611_3",
    ]);
    expect(subgraph.supernodes.map((s) => [s.label, s.members.map((i) => graph.nodes[i]!.nodeId)])).toEqual([
      ["cat → sat", ["0_17_2", "2_77_2"]],
      ["sat", ["0_4096_3", "1_255_3"]],
    ]);
  });

  it("reads duplicate node ids with a warning, the last copy winning, and files without schema_version", () => {
    const graph = parseGraph(readCarried(CARRIED.anthropicStyle));
    expect(graph.counts.duplicateNodeIds).toBe(2);
    expect(graph.warnings.map((w) => w.code)).toEqual(["DUPLICATE_NODE_ID", "DUPLICATE_NODE_ID"]);
    expect(graph.nodes[graph.nodeIndexById.get("0_17_2")!]!.clerp).toBe("duplicate 0");
    expect(parseGraph(readCarried(CARRIED.neuronpediaFeatured)).metadata.schema_version).toBeUndefined();
  });
});

describe("the carried synthetic files", () => {
  it("are exactly what test/fixtures/make-synthetic-graphs.ts writes", () => {
    for (const variant of VARIANTS) {
      expect(readCarried(`synthetic/${variant.file}`).toString("utf8"), variant.file).toBe(syntheticText(variant));
    }
  });
});
