import type { AttributionGraph } from "../engine/attribution/attribute";
import type { PruneResult } from "../engine/attribution/prune-graph";
import { cantorPair } from "./cantor-pairing";
import { canonicalNodeIds, rowNodes } from "./node-ids";

/**
 * The circuit-tracer / Neuronpedia graph JSON (reference §4.2–§4.6). A small self-contained
 * writer for the worker; it is to be replaced by @circuitboard/shared/graph-format's exporter once that exists.
 */
export interface GraphJsonOptions {
  slug: string;
  scan: string;
  promptTokens: string[]; // each token decoded on its own, BOS included
  prompt: string; // the decoded input, BOS included
  nodeThreshold: number;
  edgeThreshold: number;
  generationSettings: {
    max_n_logits: number;
    desired_logit_prob: number;
    batch_size: number;
    max_feature_nodes?: number;
  };
  scores: { replacement: number; completeness: number };
  generator: { name: string; version: string };
  tokenString: (vocabIdx: number) => string;
}

export interface GraphNodeJson {
  node_id: string;
  feature: number;
  layer: string;
  ctx_idx: number;
  feature_type: string;
  token_prob: number;
  is_target_logit: boolean;
  run_idx: number;
  reverse_ctx_idx: number;
  jsNodeId: string;
  clerp: string;
  influence: number | null;
  activation: number | null;
}

export function buildGraphJson(graph: AttributionGraph, pruned: PruneResult, o: GraphJsonOptions) {
  const L = graph.n_layers;
  const T = graph.tokens.length;
  const M = graph.selected.length;
  const K = graph.logitTargets.length;
  const N = graph.n_nodes;
  const ids = canonicalNodeIds(graph);
  const base = { token_prob: 0, is_target_logit: false, run_idx: 0, reverse_ctx_idx: 0, clerp: "" };
  const node = (i: number): GraphNodeJson => {
    const influence = pruned.cumulativeScores[i]!;
    if (i < M) {
      const f = graph.selected[i]!;
      const l = graph.active.layer[f]!,
        idx = graph.active.index[f]!,
        p = graph.active.pos[f]!;
      // "cross layer transcoder" is what circuit-tracer writes for PLT features too.
      return {
        ...base,
        node_id: ids[i]!,
        feature: cantorPair(l, idx),
        layer: `${l}`,
        ctx_idx: p,
        feature_type: "cross layer transcoder",
        jsNodeId: `${l}_${idx}-0`,
        influence,
        activation: graph.active.activation[f]!,
      };
    }
    if (i < M + L * T) {
      const l = Math.floor((i - M) / T),
        p = (i - M) % T;
      return {
        ...base,
        node_id: ids[i]!,
        feature: -1,
        layer: `${l}`,
        ctx_idx: p,
        feature_type: "mlp reconstruction error",
        jsNodeId: `${l}_-1-${p}`,
        influence,
        activation: null,
      };
    }
    if (i < N - K) {
      const p = i - M - L * T;
      return {
        ...base,
        node_id: ids[i]!,
        feature: p,
        layer: "E",
        ctx_idx: p,
        feature_type: "embedding",
        jsNodeId: `E_${graph.tokens[p]}-${p}`,
        influence,
        activation: null,
      };
    }
    const k = i - (N - K);
    const t = graph.logitTargets[k]!;
    return {
      ...base,
      node_id: ids[i]!,
      feature: t.vocabIdx,
      layer: `${L + 1}`,
      ctx_idx: T - 1,
      feature_type: "logit",
      jsNodeId: `L_${t.vocabIdx}-${T - 1}`,
      token_prob: t.prob,
      is_target_logit: k === 0,
      clerp: `Output "${o.tokenString(t.vocabIdx)}" (p=${t.prob.toFixed(3)})`,
      influence: null,
      activation: null,
    };
  };

  // Links: kept edges whose two endpoints survived, row-major over (target, source) in node order.
  const targetsOfRows = rowNodes(graph);
  const links: { source: string; target: string; weight: number }[] = [];
  const touched = new Uint8Array(N);
  targetsOfRows.forEach((t, r) => {
    if (!pruned.nodeMask[t]) return;
    for (let s = 0; s < N; s++) {
      if (pruned.edgeMask[r * N + s] && pruned.nodeMask[s]) {
        links.push({ source: ids[s]!, target: ids[t]!, weight: graph.rows[r * N + s]! });
        touched[s] = touched[t] = 1;
      }
    }
  });
  // Nodes: kept ones that touch a link; embeddings and logits always stay.
  const nodes: GraphNodeJson[] = [];
  for (let i = 0; i < N; i++) if (pruned.nodeMask[i] && (touched[i] || i >= M + L * T)) nodes.push(node(i));

  return {
    metadata: {
      slug: o.slug,
      scan: o.scan,
      transcoder_list: [] as string[],
      prompt_tokens: o.promptTokens,
      prompt: o.prompt,
      node_threshold: o.nodeThreshold,
      schema_version: 1,
      generation_settings: o.generationSettings,
      pruning_settings: { node_threshold: o.nodeThreshold, edge_threshold: o.edgeThreshold },
      info: { generator: o.generator, create_time_ms: Date.now() },
      // Not in Neuronpedia's schema (which allows extra metadata keys); read by Circuitboard.
      scores: { replacement_score: o.scores.replacement, completeness_score: o.scores.completeness },
    },
    qParams: { pinnedIds: [] as string[], supernodes: [] as string[][], linkType: "both", clickedId: "", sg_pos: "" },
    nodes,
    links,
  };
}

/** The unpruned result for verification (issue 4's --dump-adjacency). */
export function adjacencyDump(graph: AttributionGraph) {
  const ids = canonicalNodeIds(graph);
  const N = graph.n_nodes;
  const rows = rowNodes(graph);
  return {
    tokens: graph.tokens,
    nodes: ids,
    targets: Array.from(rows, (t) => ids[t]!),
    adjacency: Array.from(rows, (_, r) => Array.from(graph.rows.subarray(r * N, (r + 1) * N))),
  };
}
