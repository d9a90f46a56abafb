import { describe, expect, it } from "vitest";
import {
  cantorPair,
  cantorUnpair,
  decodeFeature,
  detectFeatureEncoding,
  encodeFeature,
  formatErrorNodeId,
  nodeKindOf,
  parseErrorNodeId,
  parseFeatureNodeId,
  parseGraph,
  type TFeatureEncoding,
} from "@circuitboard/shared/graph-format";
import { makeGraphJson } from "./make-graph-json";

describe("Cantor pairing of (layer, index)", () => {
  it("gives the values of attribution-algorithm.md §4.7 and of the meow fixture", () => {
    expect(cantorPair(0, 17)).toBe(170);
    expect(cantorPair(1, 5)).toBe(26);
    expect(cantorPair(0, 49560)).toBe(1228171140); // meow node 0_49560_3
  });

  it("round-trips every (layer, index) of a grid, including CLT-sized indices", () => {
    const failures: string[] = [];
    for (let layer = 0; layer < 40; layer += 1) {
      for (const index of [0, 1, 2, 17, 255, 16383, 65535, 98303, 524287, 2_500_000, 1e7]) {
        const { layer: l, index: i } = cantorUnpair(cantorPair(layer, index));
        if (l !== layer || i !== index) failures.push(`(${layer}, ${index}) -> (${l}, ${i})`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("unpairs exactly near the top of the safe-integer range, where sqrt is off by one", () => {
    for (const [layer, index] of [
      [3, 134_000_000],
      [134_000_000, 0],
      [20, 94_906_240],
      [0, 94_906_264],
    ] as const) {
      expect(cantorUnpair(cantorPair(layer, index))).toEqual({ layer, index });
    }
    for (let z = Number.MAX_SAFE_INTEGER - 50; z <= Number.MAX_SAFE_INTEGER; z += 1) {
      const { layer, index } = cantorUnpair(z);
      expect(cantorPair(layer, index)).toBe(z);
    }
  });

  it("refuses values it cannot represent exactly", () => {
    expect(() => cantorPair(-1, 2)).toThrow(RangeError);
    expect(() => cantorPair(2 ** 30, 2 ** 30)).toThrow(RangeError);
    expect(() => cantorUnpair(-1)).toThrow(RangeError);
    expect(() => cantorUnpair(0.5)).toThrow(RangeError);
  });
});

describe("the three meanings of `feature`", () => {
  const samples = (encode: (layer: number, index: number) => number) =>
    [
      [0, 354],
      [3, 6576],
      [15, 5617],
      [23, 8683],
    ].map(([layer, index]) => ({ layer: layer!, index: index!, feature: encode(layer!, index!) }));

  const CASES: readonly {
    name: string;
    encode: (layer: number, index: number) => number;
    encoding: TFeatureEncoding;
  }[] = [
    { name: "Cantor pairing (circuit-tracer >= 0.2)", encode: cantorPair, encoding: { kind: "cantor" } },
    {
      name: "layer*100000+index (Neuronpedia featured files)",
      encode: (layer, index) => layer * 100_000 + index,
      encoding: { kind: "layer-stride", stride: 100_000 },
    },
    {
      name: "layer*10^5 for 16k-feature layers (circuit-tracer 0.1)",
      encode: (layer, index) => layer * 10 ** Math.ceil(Math.log10(16384)) + index,
      encoding: { kind: "layer-stride", stride: 100_000 },
    },
    { name: "plain index", encode: (_layer, index) => index, encoding: { kind: "index" } },
  ];
  for (const { name, encode, encoding } of CASES) {
    it(`detects and inverts ${name}`, () => {
      const found = detectFeatureEncoding(samples(encode));
      expect(found).toEqual(encoding);
      for (const { layer, index, feature } of samples(encode)) {
        expect(encodeFeature(layer, index, found)).toBe(feature);
        if (found.kind !== "index") expect(decodeFeature(feature, found)).toEqual({ layer, index });
      }
    });
  }

  it("says unknown when the values fit no rule, and when there are no samples", () => {
    expect(
      detectFeatureEncoding([
        { layer: 2, index: 5, feature: 999 },
        { layer: 3, index: 1, feature: 7 },
      ]),
    ).toEqual({ kind: "unknown" });
    expect(detectFeatureEncoding([])).toEqual({ kind: "unknown" });
  });

  it("decodes feature nodes whose id does not spell (layer, index) once the file's encoding is known", () => {
    const json = makeGraphJson() as { nodes: Record<string, unknown>[] };
    json.nodes.push({
      node_id: "lorsa-node-1",
      feature: cantorPair(2, 40),
      layer: "2",
      ctx_idx: 1,
      feature_type: "cross layer transcoder",
    });
    const node = parseGraph(JSON.stringify(json)).nodes.at(-1)!;
    expect({ layer: node.featureLayer, index: node.featureIndex }).toEqual({ layer: 2, index: 40 });
  });
});

describe("node ids and kinds", () => {
  it("reads legacy 0_{layer}_{ctx} and current {layer}_-1_{ctx} error ids to the same layer and position", () => {
    expect(parseErrorNodeId("0_12_4")).toEqual({ scheme: "legacy", layer: 12, ctxIdx: 4 });
    expect(parseErrorNodeId("12_-1_4")).toEqual({ scheme: "current", layer: 12, ctxIdx: 4 });
    expect(formatErrorNodeId(12, 4)).toBe("12_-1_4");
    expect(formatErrorNodeId(12, 4, "legacy")).toBe("0_12_4");
    expect(parseErrorNodeId("3_12_4")).toBeNull();
    expect(parseFeatureNodeId("12_-1_4")).toBeNull();
  });

  it("parses both error schemes in one file as error nodes with their own layer", () => {
    const graph = parseGraph(JSON.stringify(makeGraphJson()));
    const errors = graph.nodes.filter((node) => node.kind === "error");
    expect(errors.map((node) => [node.nodeId, node.layer, node.ctxIdx])).toEqual([
      ["0_1_1", 1, 1],
      ["1_-1_1", 1, 1],
    ]);
    expect(graph.nodes[graph.nodeIndexById.get("0_17_1")!]!.kind).toBe("feature");
  });

  it("classifies the feature_type values seen in files", () => {
    const kinds = [
      "cross layer transcoder",
      "lorsa",
      "mlp reconstruction error",
      "lorsa error",
      "embedding",
      "logit",
      "bias",
      "something new",
    ].map(nodeKindOf);
    expect(kinds).toEqual(["feature", "feature", "error", "error", "embedding", "logit", "other", "other"]);
  });
});
