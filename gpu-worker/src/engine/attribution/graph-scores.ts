import { influenceFromRows, rowScales, type StoredRows } from "./node-influence";
import { logitWeights, type NodeLayout } from "./prune-graph";

/**
 * Replacement and completeness scores of the unpruned graph (reference §3.5, PR #33):
 *   replacement  = token influence / (token + error influence)
 *   completeness = Σ_t (1 − Σ_{s ∈ errors} Â[t, s]) (infl + w)[t] / Σ_t (infl + w)[t]
 */
export function graphScores(
  adj: StoredRows,
  layout: NodeLayout,
  probs: number[],
  /** pruneGraph's row scales and unpruned influence, when it has just computed them. */
  computed?: { scales: Float64Array; influence: Float64Array },
): { replacement: number; completeness: number } {
  const { N, rowNode } = adj;
  const w = logitWeights(layout, probs);
  const scales = computed?.scales ?? rowScales(adj);
  const influence = computed?.influence ?? influenceFromRows(adj, scales, w);
  const errorStart = layout.nFeatures;
  const tokenStart = errorStart + layout.nErrors;
  let tokenInfluence = 0,
    errorInfluence = 0;
  for (let i = errorStart; i < tokenStart; i++) errorInfluence += influence[i]!;
  for (let i = tokenStart; i < tokenStart + layout.nTokens; i++) tokenInfluence += influence[i]!;
  const nonErrorFraction = new Float64Array(N).fill(1); // rows without inputs have no error share
  rowNode.forEach((node, r) => {
    let errorShare = 0;
    for (let s = r * N + errorStart; s < r * N + tokenStart; s++) errorShare += Math.abs(adj.rows[s]!);
    nonErrorFraction[node] = 1 - errorShare * scales[r]!;
  });
  let numerator = 0,
    denominator = 0;
  for (let t = 0; t < N; t++) {
    const out = influence[t]! + w[t]!;
    numerator += nonErrorFraction[t]! * out;
    denominator += out;
  }
  return { replacement: tokenInfluence / (tokenInfluence + errorInfluence), completeness: numerator / denominator };
}
