// The viewer's form of a graph: what the parsing worker sends to the page. Columns of typed arrays (one entry
// per node or per link) plus a few string arrays, so a 1,000,000-link graph crosses the worker boundary as a
// handful of transferred buffers and never becomes a million JS objects on the main thread.

export const NODE_KINDS = ["feature", "error", "embedding", "logit", "other"] as const;
export type TViewerNodeKind = (typeof NODE_KINDS)[number];
export const KIND_CODE: Readonly<Record<TViewerNodeKind, number>> = {
  feature: 0,
  error: 1,
  embedding: 2,
  logit: 3,
  other: 4,
};

/** Node references (node_id, or jsNodeId in Anthropic-model files) of a saved view, before resolution. */
export interface TViewStateRefs {
  readonly pinnedIds: readonly string[];
  readonly supernodes: readonly (readonly string[])[];
  readonly clerps: readonly (readonly [string, string])[];
  readonly clickedId: string;
  readonly pruningThreshold: number | null;
  /** Subgraph diagram positions: [group key, x, y], x and y in 0..1000 (subgraph-diagram.ts). */
  readonly positions?: readonly (readonly [string, number, number])[];
}

/** The same view state as node indices. */
export interface TResolvedViewState {
  readonly pinned: readonly number[];
  readonly supernodes: readonly { readonly label: string; readonly members: readonly number[] }[];
  /** Label overrides by label key (by feature; see label-keys.ts in the shared module). */
  readonly clerps: readonly (readonly [string, string])[];
  readonly clicked: number | null;
  readonly pruningThreshold: number | null;
  readonly positions: readonly (readonly [string, number, number])[];
  /** References that named no node in this graph. */
  readonly unresolved: readonly string[];
}

/** What the file says about itself, for the graph facts panel (graph-facts-panel.tsx). */
export interface TGraphFacts {
  readonly description: string | null;
  /** "circuit-tracer 0.2.0 | 3976e39". */
  readonly generator: string | null;
  readonly createTimeMs: number | null;
  /** metadata.generation_settings / pruning_settings, the numeric ones. */
  readonly generationSettings: readonly (readonly [string, number])[];
  readonly pruningSettings: readonly (readonly [string, number])[];
  /** metadata.scores (our worker) or metadata.replacement_score / completeness_score; null when absent. */
  readonly replacementScore: number | null;
  readonly completenessScore: number | null;
  readonly modelId: string;
  readonly transcoderSetId: string;
  readonly identitySources: { readonly modelId: string; readonly transcoderSetId: string };
  readonly counts: {
    readonly features: number;
    readonly errors: number;
    readonly embeddings: number;
    readonly logits: number;
    readonly other: number;
  };
}

export interface TViewerGraph {
  readonly facts: TGraphFacts;
  readonly tokens: readonly string[];
  /** Model depth (the logit layer is nLayers + 1); null without logit nodes. */
  readonly nLayers: number | null;
  /** The pruning threshold the file was generated with (metadata.node_threshold), if any. */
  readonly fileNodeThreshold: number | null;
  readonly nodeCount: number;
  readonly nodeIds: readonly string[];
  /** The key a node's label override is stored under: "{layer}_{index}" for features, else the node_id. */
  readonly labelKeys: readonly string[];
  /** Each node's feature_type as the file spells it (shown for types the viewer draws as generic nodes). */
  readonly featureTypes: readonly string[];
  /** The file's label (clerp); "" when none. */
  readonly clerps: readonly string[];
  /** KIND_CODE per node. */
  readonly kinds: Uint8Array;
  /** Layer per node; -1 for embeddings. */
  readonly layers: Int16Array;
  readonly ctxIdx: Int32Array;
  /** NaN where the file has none (logits), as for activation and tokenProb. */
  readonly influence: Float64Array;
  readonly activation: Float64Array;
  readonly tokenProb: Float64Array;
  /** Decoded transcoder (layer, index) of feature nodes; -1 otherwise. */
  readonly featureLayer: Int32Array;
  readonly featureIndex: Int32Array;

  readonly linkCount: number;
  readonly source: Uint32Array;
  readonly target: Uint32Array;
  readonly weight: Float64Array;
  /** Link indices grouped by target node: links into node i are inLinks[inOffsets[i] .. inOffsets[i+1]). */
  readonly inOffsets: Uint32Array;
  readonly inLinks: Uint32Array;
  /** Link indices grouped by source node, the same way. */
  readonly outOffsets: Uint32Array;
  readonly outLinks: Uint32Array;
  /** Σ|weight| of each node's incoming links: the denominator of "% of the target's input". */
  readonly inAbsSum: Float64Array;
  /** The strongest links by |weight|, strongest first (at most MAX_STRONGEST_LINKS): the drawable set. */
  readonly strongest: Uint32Array;

  readonly initialState: TResolvedViewState;
  /** Readable oddities of the file (duplicate node ids, unresolved pins), as messages. */
  readonly warnings: readonly string[];
}

/** Buffers moved (not copied) from the worker to the page. */
export function transferablesOf(graph: TViewerGraph): ArrayBuffer[] {
  const arrays = [
    graph.kinds,
    graph.layers,
    graph.ctxIdx,
    graph.influence,
    graph.activation,
    graph.tokenProb,
    graph.featureLayer,
    graph.featureIndex,
    graph.source,
    graph.target,
    graph.weight,
    graph.inOffsets,
    graph.inLinks,
    graph.outOffsets,
    graph.outLinks,
    graph.inAbsSum,
    graph.strongest,
  ];
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}

export function kindOf(graph: TViewerGraph, node: number): TViewerNodeKind {
  return NODE_KINDS[graph.kinds[node]!] ?? "other";
}
