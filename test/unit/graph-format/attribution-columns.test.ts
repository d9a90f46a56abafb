import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import {
  exportGraph,
  graphFromAttributionColumns,
  parseGraph,
  type TAttributionColumns,
} from "@circuitboard/shared/graph-format";
import { NEURONPEDIA_SCHEMA_PATH } from "./graph-fixtures";

// The GPU worker's path into the format: typed columns -> TGraph -> exportGraph.
function columns(over: Partial<TAttributionColumns> = {}): TAttributionColumns {
  return {
    metadata: { slug: "c", scan: "s", prompt_tokens: ["<bos>", "a", "b"], prompt: "<bos>ab", node_threshold: 0.8 },
    nLayers: 2,
    tokenIds: [1, 7, 9],
    features: {
      layer: [0, 1],
      index: [5, 3],
      ctxIdx: [1, 2],
      activation: [1.5, 0.25],
      influence: [0.1, 0.4],
    },
    errors: { layer: [1], ctxIdx: [2], influence: [0.6] },
    embeddings: { ctxIdx: [0, 1, 2], influence: [0.7, 0.8, 0.9] },
    logits: { vocabIdx: [42, 43], prob: [0.75, 0.125], clerp: ['Output "x"', 'Output "y"'] },
    // node order: f0 f1 e0 E0 E1 E2 L0 L1
    links: {
      source: Uint32Array.of(0, 2, 4, 1),
      target: Uint32Array.of(1, 6, 0, 6),
      weight: Float32Array.of(0.5, -0.25, 1, -0),
    },
    ...over,
  };
}

describe("graphFromAttributionColumns", () => {
  it("writes circuit-tracer node records that the parser reads back and Neuronpedia's schema accepts (interop)", () => {
    const text = exportGraph(graphFromAttributionColumns(columns()));
    if (NEURONPEDIA_SCHEMA_PATH) {
      const validate = new Ajv({ strict: false }).compile(
        JSON.parse(readFileSync(NEURONPEDIA_SCHEMA_PATH, "utf8")) as object,
      );
      expect(validate(JSON.parse(text)), JSON.stringify(validate.errors)).toBe(true);
    }
    const g = parseGraph(text);
    expect(g.nodes.map((n) => n.nodeId)).toEqual([
      "0_5_1",
      "1_3_2",
      "1_-1_2",
      "E_1_0",
      "E_7_1",
      "E_9_2",
      "3_42_2",
      "3_43_2",
    ]);
    expect(g.nodes.map((n) => n.json.jsNodeId)).toEqual([
      "0_5-0",
      "1_3-0",
      "1_-1-2",
      "E_1-0",
      "E_7-1",
      "E_9-2",
      "L_42-2",
      "L_43-2",
    ]);
    expect(g.nodes.map((n) => n.kind)).toEqual([
      "feature",
      "feature",
      "error",
      "embedding",
      "embedding",
      "embedding",
      "logit",
      "logit",
    ]);
    expect([g.nodes[0]!.featureLayer, g.nodes[0]!.featureIndex, g.nodes[0]!.json.feature]).toEqual([0, 5, 20]); // Cantor
    expect(g.nodes[6]!.json.is_target_logit).toBe(true);
    expect(g.nodes[7]!.json.is_target_logit).toBe(false);
    expect(g.nLayers).toBe(2);
    expect(Array.from(g.links.source)).toEqual([0, 2, 4, 1]);
    expect(Array.from(g.links.weight)).toEqual([0.5, -0.25, 1, -0]);
    expect(Object.is(g.links.weight[3], -0)).toBe(true);
  });

  it("rejects columns of unequal length, links to no node and non-finite weights, by name", () => {
    const c = columns();
    expect(() => graphFromAttributionColumns({ ...c, errors: { ...c.errors, ctxIdx: [2, 1] } })).toThrow(
      /errors\.ctxIdx has 2 entries, layer has 1/,
    );
    expect(() =>
      graphFromAttributionColumns({ ...c, links: { ...c.links, target: Uint32Array.of(1, 6, 0, 8) } }),
    ).toThrow(/links\[3\]: endpoint \(1, 8\) is not one of the 8 nodes/);
    expect(() =>
      graphFromAttributionColumns({ ...c, links: { ...c.links, weight: Float32Array.of(0, NaN, 0, 0) } }),
    ).toThrow(/links\[1\]\.weight is NaN/);
    expect(() =>
      graphFromAttributionColumns({ ...c, metadata: { ...c.metadata, prompt_tokens: "x" as never } }),
    ).toThrow(/prompt_tokens/);
  });
});
