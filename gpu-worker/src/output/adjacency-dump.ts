import {
  formatEmbeddingNodeId,
  formatErrorNodeId,
  formatFeatureNodeId,
  formatLogitNodeId,
} from "@circuitboard/shared/graph-format";
import type { AttributionGraph } from "../engine/attribution/attribute";
import { rowNodes } from "./graph-columns";

/** Node ids of every node in the canonical order of reference §2.1 (restricted to the selected features). */
export function canonicalNodeIds(graph: AttributionGraph): string[] {
  const L = graph.n_layers;
  const T = graph.tokens.length;
  const ids: string[] = [];
  for (const f of graph.selected)
    ids.push(formatFeatureNodeId(graph.active.layer[f]!, graph.active.index[f]!, graph.active.pos[f]!));
  for (let l = 0; l < L; l++) for (let p = 0; p < T; p++) ids.push(formatErrorNodeId(l, p));
  graph.tokens.forEach((tok, p) => ids.push(formatEmbeddingNodeId(tok, p)));
  for (const t of graph.logitTargets) ids.push(formatLogitNodeId(L, t.vocabIdx, T - 1));
  return ids;
}

/** The unpruned result for verification (`attribute --dump-adjacency`). */
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
