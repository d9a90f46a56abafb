import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import {
  circuitTracerClerps,
  createLabelKeyResolver,
  deriveGraphIdentity,
  exportGraph,
  featureRefKey,
  isFilePath,
  labelKeyOf,
  parseGraph,
  readClerpEntries,
  resolveLabelOverrides,
  type TGraph,
  type TGraphMetadata,
} from "@circuitboard/shared/graph-format";
import { CARRIED, readCarried } from "../../fixtures";
import { describeInterop, itInterop } from "../../fixtures/interop";
import {
  MEOW as MEOW_FIXTURE,
  NEURONPEDIA_SCHEMA_PATH,
  PUPPY as PUPPY_FIXTURE,
  readFixture,
  SMALL_BIG as SMALL_BIG_FIXTURE,
} from "./graph-fixtures";

// The demo worker's own graph (carried in the repository; Cantor features, serve-mode metadata).
const DEMO: TGraph = parseGraph(readCarried(CARRIED.demoBegat));

// The metadata of the real files (fixtures/graphs/README.md), as they spell it: the identity rules are checked
// on these literals everywhere, and on the files themselves in the interop block below.
const MEOW_META: TGraphMetadata = {
  scan: "gemma-2-2b",
  prompt_tokens: ["<bos>"],
  info: {
    transcoder_set: "mntss/clt-gemma-2-2b-2.5M",
    neuronpedia_source_set: "clt-hp",
    neuronpedia_link: "https://www.neuronpedia.org/gemma-2-2b/graph?slug=meow",
  },
};
const SMALL_BIG_META: TGraphMetadata = {
  scan: "gemma-2-2b",
  prompt_tokens: ["<bos>"],
  info: { neuronpedia_source_set: "gemmascope-transcoder-16k" },
};
const PUPPY_META: TGraphMetadata = { scan: "mntss/clt-llama-3.2-1b-524k", prompt_tokens: ["<|begin_of_text|>"] };

const meta = (m: Partial<TGraphMetadata>): TGraphMetadata => ({ prompt_tokens: ["a"], ...m });

describe("deriveGraphIdentity: every real variant of where model and transcoder set are said", () => {
  const CASES: {
    name: string;
    metadata: TGraphMetadata;
    announced?: { modelId?: string };
    model: string;
    set: string;
  }[] = [
    {
      name: "meow: scan is the model, info.transcoder_set the set",
      metadata: MEOW_META,
      model: "gemma-2-2b",
      set: "mntss/clt-gemma-2-2b-2.5M",
    },
    {
      name: "small-big-en: scan is the model, only Neuronpedia's source set names the set",
      metadata: SMALL_BIG_META,
      model: "gemma-2-2b",
      set: "neuronpedia:gemma-2-2b/gemmascope-transcoder-16k",
    },
    {
      name: "puppy: scan is the transcoder set (HF repo), the model is in its name",
      metadata: PUPPY_META,
      model: "llama-3.2-1b",
      set: "mntss/clt-llama-3.2-1b-524k",
    },
    {
      name: "our worker: scan is a local directory, the worker announces the model",
      metadata: meta({ scan: "/home/u/circuitboard/gpu-worker/assets/circuitboard-demo-gpt2-transcoders" }),
      announced: { modelId: "circuitboard-demo-gpt2" },
      model: "circuitboard-demo-gpt2",
      set: "circuitboard-demo-gpt2-transcoders",
    },
    {
      name: "our worker's serve mode: scan is the set's directory name, the model is announced",
      metadata: meta({ scan: "circuitboard-demo-gpt2-transcoders" }),
      announced: { modelId: "circuitboard-demo-gpt2" },
      model: "circuitboard-demo-gpt2",
      set: "circuitboard-demo-gpt2-transcoders",
    },
    {
      name: "our worker run from the repo root: a relative path",
      metadata: meta({ scan: "gpu-worker/assets/circuitboard-demo-gpt2-transcoders" }),
      model: "",
      set: "circuitboard-demo-gpt2-transcoders",
    },
    {
      name: "a Windows path is a path too",
      metadata: meta({ scan: "C:\\models\\clt-gemma-2-2b-2.5M" }),
      model: "",
      set: "clt-gemma-2-2b-2.5M",
    },
    {
      name: "circuit-tracer without a transcoder id: scan null",
      metadata: meta({ scan: null }),
      model: "",
      set: "",
    },
    {
      name: "only a Neuronpedia link names the model",
      metadata: meta({ info: { neuronpedia_link: "https://www.neuronpedia.org/qwen3-4b/graph?slug=x" } }),
      model: "qwen3-4b",
      set: "",
    },
  ];
  it.each(CASES)("$name", ({ metadata, announced, model, set }) => {
    const identity = deriveGraphIdentity(metadata, announced);
    expect({ model: identity.modelId, set: identity.transcoderSetId }).toEqual({ model, set });
    expect(isFilePath(identity.transcoderSetId)).toBe(false);
  });

  it("says which rule gave each id", () => {
    expect(deriveGraphIdentity(PUPPY_META).sources).toEqual({
      modelId: "the transcoder set's name",
      transcoderSetId: "metadata.scan",
    });
  });
});

describe("label overrides are keyed by feature", () => {
  it("one key per feature: every position of a feature shares it, other nodes keep their node_id", () => {
    const byKey = new Map<string, number>();
    for (const node of DEMO.nodes) byKey.set(labelKeyOf(node), (byKey.get(labelKeyOf(node)) ?? 0) + 1);
    const feature = DEMO.nodes.find((n) => n.kind === "feature")!;
    expect(labelKeyOf(feature)).toBe(`${feature.featureLayer}_${feature.featureIndex}`);
    const logit = DEMO.nodes.find((n) => n.kind === "logit")!;
    expect(labelKeyOf(logit)).toBe(logit.nodeId);
    expect(featureRefKey({ transcoderSetId: "mntss/clt-llama-3.2-1b-524k", layer: 3, index: 7 })).toBe(
      "mntss/clt-llama-3.2-1b-524k#3_7",
    );
  });

  it("reads every writer's key: ours, node_id (links shared before), Neuronpedia's featureId, circuit-tracer's feature", () => {
    const node = DEMO.nodes.find((n) => n.kind === "feature" && n.featureLayer! > 0)!;
    const resolve = createLabelKeyResolver(DEMO);
    const ours = `${node.featureLayer}_${node.featureIndex}`;
    expect(resolve(ours)).toBe(ours);
    expect(resolve(node.nodeId)).toBe(ours);
    // Neuronpedia: `${layer}_${feature}_${ctx_idx}`
    expect(resolve(`${String(node.json.layer)}_${node.feature}_${node.ctxIdx}`)).toBe(ours);
    expect(resolve(String(node.feature))).toBe(ours); // circuit-tracer: `${d.feature}`
    expect(resolve("9_9_9")).toBeNull();
    const error = DEMO.nodes.find((n) => n.kind === "error")!;
    expect(resolve(error.nodeId)).toBe(error.nodeId);
  });

  it("reads clerps as an array of pairs or as circuit-tracer's JSON string, and nothing from garbage", () => {
    expect(readClerpEntries([["a", "b"]])).toEqual([["a", "b"]]);
    expect(readClerpEntries('[["a","b"],["c"]]')).toEqual([["a", "b"]]);
    expect(readClerpEntries("a,b")).toEqual([]);
    expect(readClerpEntries(42)).toEqual([]);
  });
});

// Neuronpedia's schema (interop fixtures) is draft-07 with a few draft-2020 keywords: strict off, as in
// export-schema.test.ts. Without the interop fixtures the schema check is skipped (itInterop).
const validateNeuronpedia = NEURONPEDIA_SCHEMA_PATH
  ? new Ajv({ strict: false, allErrors: true }).compile(
      JSON.parse(readFileSync(NEURONPEDIA_SCHEMA_PATH, "utf8")) as object,
    )
  : null;

/** What circuit-tracer's local viewer does with a file (init-cg.js, util-cg.js formatData), minus the drawing. */
function loadLikeCircuitTracer(text: string) {
  const data = JSON.parse(text) as {
    qParams: Record<string, unknown>;
    nodes: { node_id: string; feature: number; clerp: string }[];
  };
  const visState: Record<string, unknown> = {
    pinnedIds: [],
    ...Object.fromEntries(Object.entries(data.qParams).filter(([, v]) => v !== null)),
  };
  const clerpsParam = data.qParams.clerps as string | undefined;
  // This line is where an array (our export before #11) threw "SyntaxError" and left a blank page.
  const clerps = clerpsParam ? new Map<string, string>(JSON.parse(clerpsParam) as [string, string][]) : undefined;
  for (const d of data.nodes) if (clerps?.has(`${d.feature}`)) d.clerp = clerps.get(`${d.feature}`)!;
  return { visState, clerps, nodes: data.nodes };
}

describe("an export with an edited label, pins and a supernode opens in circuit-tracer and validates for Neuronpedia", () => {
  const graph = DEMO;
  const feature = graph.nodes.find((n) => n.kind === "feature")!;
  const logit = graph.nodes.find((n) => n.kind === "logit")!;
  const other = graph.nodes.filter((n) => n.kind === "feature")[5]!;
  const overrides = resolveLabelOverrides(graph, [
    [feature.nodeId, "cat-ness (edited)"], // the old, node-keyed form: read as the feature
    [logit.nodeId, "says meow"],
  ]).overrides;
  const text = exportGraph(graph, {
    labelOverrides: overrides,
    subgraph: {
      pinnedIds: [feature.nodeId, other.nodeId, logit.nodeId],
      supernodes: [["cat things", feature.nodeId, other.nodeId]],
      clickedId: feature.nodeId,
    },
  });

  it("circuit-tracer: qParams.clerps parses into a Map keyed by feature; labels, pins and supernodes load", () => {
    const { visState, clerps, nodes } = loadLikeCircuitTracer(text);
    expect(clerps?.get(String(feature.feature))).toBe("cat-ness (edited)");
    expect(nodes.find((d) => d.node_id === feature.nodeId)!.clerp).toBe("cat-ness (edited)");
    expect(visState.pinnedIds).toEqual([feature.nodeId, other.nodeId, logit.nodeId]);
    expect(visState.supernodes).toEqual([["cat things", feature.nodeId, other.nodeId]]);
  });

  it("Neuronpedia: each node's clerp carries the label (logit included)", () => {
    const data = JSON.parse(text) as { nodes: { node_id: string; clerp: string }[] };
    expect(data.nodes.find((d) => d.node_id === logit.nodeId)!.clerp).toBe("says meow");
  });

  itInterop("Neuronpedia: the file validates against its graph-schema.json (ajv)", () => {
    const data: unknown = JSON.parse(text);
    expect(validateNeuronpedia!(data) ? [] : validateNeuronpedia!.errors).toEqual([]);
  });

  it("only transcoder features go into qParams.clerps (a raw feature -1 or 0 would relabel every error or embedding)", () => {
    expect(JSON.parse(circuitTracerClerps(graph, overrides))).toEqual([[String(feature.feature), "cat-ness (edited)"]]);
  });

  it("metadata.scan is never a file path", () => {
    const json = JSON.parse(exportGraph(DEMO)) as { metadata: Record<string, unknown> };
    const local = parseGraph(
      JSON.stringify({
        ...json,
        metadata: {
          ...json.metadata,
          scan: "/srv/assets/circuitboard-demo-gpt2-transcoders",
          info: { transcoder_set: "acme/clt-demo-1k" },
        },
      }),
    );
    const out = JSON.parse(exportGraph(local)) as { metadata: { scan: string } };
    expect(out.metadata.scan).toBe("acme/clt-demo-1k"); // from info.transcoder_set
  });
});

describeInterop("the identity rules on the real files", () => {
  it.each([
    [MEOW_FIXTURE, "gemma-2-2b", "mntss/clt-gemma-2-2b-2.5M"],
    [SMALL_BIG_FIXTURE, "gemma-2-2b", "neuronpedia:gemma-2-2b/gemmascope-transcoder-16k"],
    [PUPPY_FIXTURE, "llama-3.2-1b", "mntss/clt-llama-3.2-1b-524k"],
  ] as const)("%# %s", (fixture, model, set) => {
    const identity = deriveGraphIdentity(parseGraph(readFixture(fixture!)).metadata);
    expect({ model: identity.modelId, set: identity.transcoderSetId }).toEqual({ model, set });
  });
});
