import { cantorPair } from "./cantor-pairing";
import { defaultJsNodeId } from "./default-js-node-id";
import type { TGraphMetadata } from "./graph-metadata-schema";
import type { TGraphNodeJson } from "./graph-node-schema";
import { defaultQParams, type TQParams } from "./graph-qparams-schema";
import type { TGraph, TGraphLinks } from "./graph-types";
import { formatEmbeddingNodeId, formatErrorNodeId, formatFeatureNodeId, formatLogitNodeId } from "./node-id";
import { normaliseGraph } from "./normalise-graph";

// An attribution result as typed columns (what the GPU worker computes) -> the normalised graph, ready for
// exportGraph. The one place where the worker's nodes become circuit-tracer node records: node ids, the
// Cantor `feature`, string layers, jsNodeId and the logit labels all come from this module's siblings.
// Nodes are written in the order features, errors, embeddings, logits (each group in the order given);
// link endpoints are indices into that order. Nodes (thousands) are validated by normaliseGraph; links
// (up to millions) stay typed columns, checked here, and are never objects.

export interface TAttributionLinkColumns {
  readonly source: Uint32Array | Int32Array;
  readonly target: Uint32Array | Int32Array;
  readonly weight: Float32Array | Float64Array;
}

export interface TAttributionColumns {
  readonly metadata: TGraphMetadata;
  readonly qParams?: TQParams;
  /** Transformer layers; logits sit at nLayers + 1. */
  readonly nLayers: number;
  /** Token id at each prompt position (BOS included). */
  readonly tokenIds: ArrayLike<number>;
  /** Transcoder features: layer, index within the layer, position, activation, influence score. */
  readonly features: {
    readonly layer: ArrayLike<number>;
    readonly index: ArrayLike<number>;
    readonly ctxIdx: ArrayLike<number>;
    readonly activation: ArrayLike<number>;
    readonly influence: ArrayLike<number>;
  };
  readonly errors: {
    readonly layer: ArrayLike<number>;
    readonly ctxIdx: ArrayLike<number>;
    readonly influence: ArrayLike<number>;
  };
  readonly embeddings: { readonly ctxIdx: ArrayLike<number>; readonly influence: ArrayLike<number> };
  /** Logit targets at the last position; the first is the target logit. */
  readonly logits: {
    readonly vocabIdx: ArrayLike<number>;
    readonly prob: ArrayLike<number>;
    readonly clerp: readonly string[];
  };
  readonly links: TAttributionLinkColumns;
}

// circuit-tracer's key order for node records, kept so that files diff cleanly against earlier exports.
function nodeRecord(fields: {
  nodeId: string;
  feature: number;
  layer: string;
  ctxIdx: number;
  featureType: string;
  influence: number | null;
  activation: number | null;
  tokenProb?: number;
  isTargetLogit?: boolean;
  clerp?: string;
}): TGraphNodeJson {
  return {
    token_prob: fields.tokenProb ?? 0,
    is_target_logit: fields.isTargetLogit ?? false,
    run_idx: 0,
    reverse_ctx_idx: 0,
    clerp: fields.clerp ?? "",
    node_id: fields.nodeId,
    feature: fields.feature,
    layer: fields.layer,
    ctx_idx: fields.ctxIdx,
    feature_type: fields.featureType,
    jsNodeId: "", // filled in by node() below, in this position
    influence: fields.influence,
    activation: fields.activation,
  };
}

function sameLength(what: string, columns: Record<string, ArrayLike<unknown>>): number {
  const lengths = Object.entries(columns).map(([name, c]) => [name, c.length] as const);
  const n = lengths[0]![1];
  for (const [name, length] of lengths) {
    if (length !== n) throw new RangeError(`${what}.${name} has ${length} entries, ${lengths[0]![0]} has ${n}`);
  }
  return n;
}

export function graphFromAttributionColumns(c: TAttributionColumns): TGraph {
  const { features: f, errors: e, embeddings: m, logits: k } = c;
  const nTokens = c.tokenIds.length;
  const last = nTokens - 1;
  const nodes: TGraphNodeJson[] = [];
  const node = (
    json: TGraphNodeJson,
    kind: "feature" | "error" | "embedding" | "logit",
    featureLayer: number | null = null,
    featureIndex: number | null = null,
  ) => {
    // jsNodeId comes from the function the exporter uses for files that lack it (its key keeps its place).
    json.jsNodeId = defaultJsNodeId({ nodeId: json.node_id, kind, featureLayer, featureIndex });
    nodes.push(json);
  };
  for (let i = 0, n = sameLength("features", f); i < n; i += 1) {
    const layer = f.layer[i]!,
      index = f.index[i]!;
    const json = nodeRecord({
      nodeId: formatFeatureNodeId(layer, index, f.ctxIdx[i]!),
      // "cross layer transcoder" is what circuit-tracer writes for per-layer transcoder features too.
      feature: cantorPair(layer, index),
      layer: `${layer}`,
      ctxIdx: f.ctxIdx[i]!,
      featureType: "cross layer transcoder",
      influence: f.influence[i]!,
      activation: f.activation[i]!,
    });
    node(json, "feature", layer, index);
  }
  for (let i = 0, n = sameLength("errors", e); i < n; i += 1) {
    const json = nodeRecord({
      nodeId: formatErrorNodeId(e.layer[i]!, e.ctxIdx[i]!),
      feature: -1,
      layer: `${e.layer[i]!}`,
      ctxIdx: e.ctxIdx[i]!,
      featureType: "mlp reconstruction error",
      influence: e.influence[i]!,
      activation: null,
    });
    node(json, "error");
  }
  for (let i = 0, n = sameLength("embeddings", m); i < n; i += 1) {
    const p = m.ctxIdx[i]!;
    if (!(p >= 0 && p < nTokens)) throw new RangeError(`embeddings.ctxIdx[${i}] = ${p} is outside the prompt`);
    const json = nodeRecord({
      nodeId: formatEmbeddingNodeId(c.tokenIds[p]!, p),
      feature: p,
      layer: "E",
      ctxIdx: p,
      featureType: "embedding",
      influence: m.influence[i]!,
      activation: null,
    });
    node(json, "embedding");
  }
  for (let i = 0, n = sameLength("logits", k); i < n; i += 1) {
    const json = nodeRecord({
      nodeId: formatLogitNodeId(c.nLayers, k.vocabIdx[i]!, last),
      feature: k.vocabIdx[i]!,
      layer: `${c.nLayers + 1}`,
      ctxIdx: last,
      featureType: "logit",
      tokenProb: k.prob[i]!,
      isTargetLogit: i === 0,
      clerp: k.clerp[i]!,
      influence: null,
      activation: null,
    });
    node(json, "logit");
  }

  const { source, target, weight } = c.links;
  const count = sameLength("links", { source, target, weight });
  for (let i = 0; i < count; i += 1) {
    if (!(source[i]! < nodes.length && target[i]! < nodes.length && source[i]! >= 0 && target[i]! >= 0)) {
      throw new RangeError(
        `links[${i}]: endpoint (${source[i]}, ${target[i]}) is not one of the ${nodes.length} nodes`,
      );
    }
    if (!Number.isFinite(weight[i]!)) throw new RangeError(`links[${i}].weight is ${weight[i]}`);
  }
  // Nodes and metadata through the format's own validation; the link columns join afterwards.
  const checked = normaliseGraph({ metadata: c.metadata, qParams: c.qParams ?? defaultQParams(), nodes, links: [] });
  const links: TGraphLinks = {
    count,
    source: Uint32Array.from(source),
    target: Uint32Array.from(target),
    weight: Float64Array.from(weight),
    extras: new Map(),
  };
  return { ...checked, links, counts: { ...checked.counts, links: count } };
}
