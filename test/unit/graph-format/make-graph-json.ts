// Small hand-made graph documents for tests: a valid base that each case bends one way.

export type TJsonObject = Record<string, unknown>;

export function makeNode(nodeId: string, overrides: TJsonObject = {}): TJsonObject {
  return {
    node_id: nodeId,
    feature: 0,
    layer: "0",
    ctx_idx: 0,
    feature_type: "cross layer transcoder",
    jsNodeId: `${nodeId}-js`,
    clerp: "",
    influence: 0.5,
    activation: 1.25,
    ...overrides,
  };
}

/** Embedding -> layer-0 feature -> legacy error / current error -> logit, over a 2-token prompt. */
export function makeGraphJson(): TJsonObject {
  return {
    metadata: {
      slug: "toy",
      scan: "toy-model",
      prompt_tokens: ["<bos>", " cat"],
      prompt: "<bos> cat",
      node_threshold: 0.8,
    },
    qParams: {
      pinnedIds: ["0_17_1"],
      supernodes: [["cat things", "0_17_1", "1_-1_1"]],
      linkType: "both",
      clickedId: "",
      sg_pos: "",
    },
    nodes: [
      makeNode("E_651_1", {
        feature: 1,
        layer: "E",
        ctx_idx: 1,
        feature_type: "embedding",
        jsNodeId: "E_651-1",
        activation: null,
      }),
      makeNode("0_17_1", { feature: 170, layer: "0", ctx_idx: 1, jsNodeId: "0_17-0" }),
      makeNode("0_1_1", {
        feature: -1,
        layer: "1",
        ctx_idx: 1,
        feature_type: "mlp reconstruction error",
        jsNodeId: "1_1-0",
        activation: null,
      }),
      makeNode("1_-1_1", {
        feature: -1,
        layer: "1",
        ctx_idx: 1,
        feature_type: "mlp reconstruction error",
        jsNodeId: "1_-1-1",
        activation: null,
      }),
      makeNode("3_9999_1", {
        feature: 9999,
        layer: "3",
        ctx_idx: 1,
        feature_type: "logit",
        jsNodeId: "L_9999-1",
        influence: null,
        activation: null,
      }),
    ],
    links: [
      { source: "E_651_1", target: "0_17_1", weight: 2.91 },
      { source: "0_17_1", target: "3_9999_1", weight: 0.35 },
      { source: "0_1_1", target: "3_9999_1", weight: -0.77 },
      { source: "1_-1_1", target: "3_9999_1", weight: 1.5 },
    ],
  };
}

/** Deep copy, so cases can edit freely. */
export function cloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
