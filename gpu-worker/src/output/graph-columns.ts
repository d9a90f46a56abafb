import type { TAttributionColumns, TGraphMetadata } from "@circuitboard/shared/graph-format";
import type { AttributionGraph } from "../engine/attribution/attribute";
import type { PruneResult } from "../engine/attribution/prune-graph";

/**
 * The worker's result as the typed columns @circuitboard/shared/graph-format turns into the graph file
 * (graphFromAttributionColumns): kept nodes in canonical order (reference §2.1) and kept links, row-major
 * over (target, source). Node ids, `feature` values and the file layout are the format module's.
 */

/** Node index of stored row r: the selected features first, then the logits (the last K nodes). */
export function rowNodes(graph: AttributionGraph): Int32Array {
  const M = graph.selected.length;
  const K = graph.logitTargets.length;
  return Int32Array.from({ length: M + K }, (_, r) => (r < M ? r : graph.n_nodes - K + (r - M)));
}

export function graphColumns(
  graph: AttributionGraph,
  pruned: PruneResult,
  o: { metadata: TGraphMetadata; tokenString: (vocabIdx: number) => string },
): TAttributionColumns {
  const L = graph.n_layers;
  const T = graph.tokens.length;
  const M = graph.selected.length;
  const K = graph.logitTargets.length;
  const N = graph.n_nodes;
  const errorStart = M,
    tokenStart = M + L * T;

  // Kept edges whose two endpoints survived; then kept nodes that touch one (embeddings and logits always).
  const rows = rowNodes(graph);
  const touched = new Uint8Array(N);
  let count = 0;
  for (let r = 0; r < rows.length; r++) {
    const t = rows[r]!;
    if (!pruned.nodeMask[t]) continue;
    const at = r * N;
    for (let s = 0; s < N; s++) {
      if (pruned.edgeMask[at + s] && pruned.nodeMask[s]) ((touched[s] = 1), (touched[t] = 1), count++);
    }
  }
  const position = new Int32Array(N).fill(-1); // node → index in the file's node list
  let kept = 0;
  for (let i = 0; i < N; i++) if (pruned.nodeMask[i] && (touched[i] || i >= tokenStart)) position[i] = kept++;
  const source = new Uint32Array(count),
    target = new Uint32Array(count),
    weight = new Float32Array(count);
  let n = 0;
  for (let r = 0; r < rows.length; r++) {
    const t = rows[r]!;
    if (!pruned.nodeMask[t]) continue;
    const at = r * N;
    for (let s = 0; s < N; s++) {
      if (pruned.edgeMask[at + s] && pruned.nodeMask[s])
        ((source[n] = position[s]!), (target[n] = position[t]!), (weight[n] = graph.rows[at + s]!), n++);
    }
  }

  const keptIn = (from: number, to: number) => {
    const out: number[] = [];
    for (let i = from; i < to; i++) if (position[i]! >= 0) out.push(i);
    return out;
  };
  const score = (i: number) => pruned.cumulativeScores[i]!;
  const features = keptIn(0, errorStart);
  const errors = keptIn(errorStart, tokenStart);
  const embeddings = keptIn(tokenStart, N - K);
  const logits = keptIn(N - K, N).map((i) => i - (N - K));
  const { active, selected, logitTargets } = graph;
  return {
    metadata: o.metadata,
    nLayers: L,
    tokenIds: graph.tokens,
    features: {
      layer: features.map((i) => active.layer[selected[i]!]!),
      index: features.map((i) => active.index[selected[i]!]!),
      ctxIdx: features.map((i) => active.pos[selected[i]!]!),
      activation: features.map((i) => active.activation[selected[i]!]!),
      influence: features.map(score),
    },
    errors: {
      layer: errors.map((i) => Math.floor((i - errorStart) / T)),
      ctxIdx: errors.map((i) => (i - errorStart) % T),
      influence: errors.map(score),
    },
    embeddings: { ctxIdx: embeddings.map((i) => i - tokenStart), influence: embeddings.map(score) },
    logits: {
      vocabIdx: logits.map((k) => logitTargets[k]!.vocabIdx),
      prob: logits.map((k) => logitTargets[k]!.prob),
      clerp: logits.map((k) => {
        const t = logitTargets[k]!;
        return `Output "${o.tokenString(t.vocabIdx)}" (p=${t.prob.toFixed(3)})`;
      }),
    },
    links: { source, target, weight },
  };
}
