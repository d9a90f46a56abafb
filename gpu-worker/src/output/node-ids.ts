import type { AttributionGraph } from "../engine/attribution/attribute";

/**
 * Node ids in the canonical order of reference §2.1 (restricted to the selected features):
 *   features "{l}_{i}_{p}", errors "{l}_-1_{p}" (the new scheme of PRs #100/#102), embeddings
 *   "E_{token}_{p}", logits "{L+1}_{vocab}_{T-1}".
 */
export function canonicalNodeIds(graph: AttributionGraph): string[] {
  const L = graph.n_layers;
  const T = graph.tokens.length;
  const ids: string[] = [];
  for (const f of graph.selected) ids.push(`${graph.active.layer[f]}_${graph.active.index[f]}_${graph.active.pos[f]}`);
  for (let l = 0; l < L; l++) for (let p = 0; p < T; p++) ids.push(`${l}_-1_${p}`);
  graph.tokens.forEach((tok, p) => ids.push(`E_${tok}_${p}`));
  for (const t of graph.logitTargets) ids.push(`${L + 1}_${t.vocabIdx}_${T - 1}`);
  return ids;
}

/** Node index of stored row r: the selected features first, then the logits (the last K nodes). */
export function rowNodes(graph: AttributionGraph): Int32Array {
  const M = graph.selected.length;
  const K = graph.logitTargets.length;
  return Int32Array.from({ length: M + K }, (_, r) => (r < M ? r : graph.n_nodes - K + (r - M)));
}
