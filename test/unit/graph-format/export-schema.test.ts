import { readFileSync } from "node:fs";
// ajv is a test-only dependency (devDependencies), used to check exports against Neuronpedia's own schema.
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { exportGraph, parseGraph } from "@circuitboard/shared/graph-format";
import { FIXTURES, NEURONPEDIA_SCHEMA_PATH, readFixture } from "./graph-fixtures";
import { makeGraphJson, type TJsonObject } from "./make-graph-json";

// Neuronpedia's schema is draft-07 but uses draft-2020 `prefixItems` and a top-level `version`; strict mode
// would refuse those unknown keywords, so it is off (the keywords are then ignored, as Neuronpedia does).
const ajv = new Ajv({ strict: false, allErrors: true });
// The schema is an interop fixture (test/fixtures/index.ts): without it this file skips.
const validateNeuronpedia = NEURONPEDIA_SCHEMA_PATH
  ? ajv.compile(JSON.parse(readFileSync(NEURONPEDIA_SCHEMA_PATH, "utf8")) as object)
  : null;

function schemaErrors(text: string): unknown[] {
  if (!validateNeuronpedia) throw new Error("no Neuronpedia schema");
  return validateNeuronpedia(JSON.parse(text)) ? [] : (validateNeuronpedia.errors ?? []).slice(0, 5);
}

/** A graph as lean as the importer allows: no qParams, and no optional metadata or node fields. */
function minimalGraphJson(): string {
  const json = makeGraphJson();
  delete json.qParams;
  const metadata = json.metadata as TJsonObject;
  for (const key of ["slug", "scan", "prompt", "node_threshold"]) delete metadata[key];
  for (const node of json.nodes as TJsonObject[]) {
    for (const key of ["feature", "jsNodeId", "clerp", "influence", "activation"]) delete node[key];
  }
  return JSON.stringify(json);
}

describe.skipIf(!validateNeuronpedia)("interop: exports validate against Neuronpedia's graph-schema.json", () => {
  it("the schema itself rejects a document missing its required keys (the check can fail)", () => {
    expect(schemaErrors('{"metadata":{},"nodes":[],"links":[]}')).not.toEqual([]);
  });

  for (const fixture of FIXTURES) {
    it(`for ${fixture.name}`, () => {
      expect(schemaErrors(exportGraph(parseGraph(readFixture(fixture))))).toEqual([]);
    });
  }

  it("for a minimal graph whose missing required fields the exporter fills in", () => {
    expect(schemaErrors(minimalGraphJson())).not.toEqual([]);
    expect(schemaErrors(exportGraph(parseGraph(minimalGraphJson())))).toEqual([]);
  });

  it("for metadata shaped like the gpu-worker's, null settings included", () => {
    const json = makeGraphJson();
    Object.assign(json.metadata as TJsonObject, {
      transcoder_list: [],
      schema_version: 1,
      generation_settings: { max_n_logits: 10, desired_logit_prob: 0.95, batch_size: 256, max_feature_nodes: null },
      pruning_settings: { node_threshold: 0.8, edge_threshold: 0.98 },
      info: { generator: { name: "circuitboard", version: "0.1.0" }, create_time_ms: 1_764_000_000_000 },
      scores: { replacement_score: 0.7, completeness_score: 0.9 },
    });
    expect(schemaErrors(JSON.stringify(json))).not.toEqual([]);
    expect(schemaErrors(exportGraph(parseGraph(JSON.stringify(json))))).toEqual([]);
  });

  it("for integer layers, labels, a saved subgraph and extra keys", () => {
    const json = makeGraphJson();
    (json.nodes as TJsonObject[])[1]!.layer = 0;
    (json.nodes as TJsonObject[])[1]!.extra_score = 3;
    (json.links as TJsonObject[])[0]!.note = "kept";
    json.qk_only_nodes = {
      "5_6_1": {
        node_id: "5_6_1",
        feature: null,
        layer: 5,
        ctx_idx: 1,
        feature_type: "lorsa",
        jsNodeId: "5_6-0",
        clerp: "",
      },
    };
    const text = exportGraph(parseGraph(JSON.stringify(json)), {
      labels: new Map([["0_17_1", "cat"]]),
      subgraph: { pinnedIds: ["0_17_1"], supernodes: [["s", "0_17_1"]], clickedId: "0_17_1", linkType: "both" },
    });
    expect(schemaErrors(text)).toEqual([]);
  });
});
