import { findThreshold } from "./find-threshold";
import { influenceFromNormalized, edgeScores, normalizeRows, type StoredRows } from "./node-influence";

/**
 * prune_graph of reference §3.4 on the stored rows (never an N × N matrix). Node order:
 * [features | errors | tokens | logits] with the given counts.
 */
export interface NodeLayout {
  nFeatures: number;
  nErrors: number;
  nTokens: number;
  nLogits: number;
}

export interface PruneResult {
  nodeMask: Uint8Array; // [N]
  edgeMask: Uint8Array; // [R, N] aligned with the stored rows
  cumulativeScores: Float64Array; // [N] cumulative influence share at each node's rank; smaller = more important
  influence: Float64Array; // [N] unpruned node influence
}

export function logitWeights(layout: NodeLayout, probs: number[]): Float64Array {
  const N = layout.nFeatures + layout.nErrors + layout.nTokens + layout.nLogits;
  const w = new Float64Array(N);
  probs.forEach((p, k) => (w[N - layout.nLogits + k] = p));
  return w;
}

export function pruneGraph(
  adj: StoredRows,
  layout: NodeLayout,
  probs: number[],
  nodeThreshold = 0.8,
  edgeThreshold = 0.98,
): PruneResult {
  for (const [name, v] of [
    ["node_threshold", nodeThreshold],
    ["edge_threshold", edgeThreshold],
  ] as const) {
    if (!(v >= 0 && v <= 1)) throw new Error(`pruneGraph: ${name} must lie in [0, 1], got ${v}`);
  }
  const { N, rowNode } = adj;
  const R = rowNode.length;
  const w = logitWeights(layout, probs);
  const tokenStart = layout.nFeatures + layout.nErrors;

  // Steps 2–3: keep the most influential nodes, plus every token and logit node.
  const influence = influenceFromNormalized(normalizeRows(adj), adj, w);
  const nodeCut = findThreshold(influence, nodeThreshold);
  const nodeMask = new Uint8Array(N);
  for (let i = 0; i < N; i++) nodeMask[i] = i >= tokenStart || influence[i]! >= nodeCut ? 1 : 0;

  // Step 4: zero the rows and columns of dropped nodes.
  const pruned = new Float32Array(adj.rows);
  for (let r = 0; r < R; r++) {
    const keepRow = nodeMask[rowNode[r]!]!;
    for (let s = 0; s < N; s++) if (!keepRow || !nodeMask[s]) pruned[r * N + s] = 0;
  }

  // Steps 5–6: edge scores and the edge cut over all entries (zeros carry no share).
  const scores = edgeScores({ N, rowNode, rows: pruned }, w);
  const edgeCut = findThreshold(scores, edgeThreshold);
  const edgeMask = new Uint8Array(R * N);
  for (let i = 0; i < R * N; i++) edgeMask[i] = scores[i]! > 0 && scores[i]! >= edgeCut ? 1 : 0;

  // Step 7: connectivity clean-up until nothing changes.
  const rowOf = new Int32Array(N).fill(-1);
  rowNode.forEach((node, r) => (rowOf[node] = r));
  for (let changed = true; changed;) {
    changed = false;
    const hasOut = new Uint8Array(N);
    const hasIn = new Uint8Array(N);
    for (let r = 0; r < R; r++) {
      for (let s = 0; s < N; s++) if (edgeMask[r * N + s]) ((hasOut[s] = 1), (hasIn[rowNode[r]!] = 1));
    }
    for (let i = 0; i < tokenStart; i++) {
      // Features and errors need an outgoing edge; features also need an incoming one.
      if (nodeMask[i] && (!hasOut[i] || (i < layout.nFeatures && !hasIn[i]))) ((nodeMask[i] = 0), (changed = true));
    }
    if (!changed) break;
    for (let r = 0; r < R; r++) {
      const removedRow = !nodeMask[rowNode[r]!];
      for (let s = 0; s < N; s++) if (removedRow || !nodeMask[s]) edgeMask[r * N + s] = 0;
    }
  }

  return { nodeMask, edgeMask, cumulativeScores: cumulativeScores(influence), influence };
}

/** Step 8: each node's cumulative share of total influence at its rank (descending; ties by index). */
function cumulativeScores(influence: Float64Array): Float64Array {
  const N = influence.length;
  const order = Array.from({ length: N }, (_, i) => i).sort((a, b) => influence[b]! - influence[a]! || a - b);
  const total = influence.reduce((a, b) => a + b, 0);
  const out = new Float64Array(N);
  let running = 0;
  for (const i of order) {
    running += influence[i]!;
    out[i] = total > 0 ? running / total : 1;
  }
  return out;
}
