import { findThreshold } from "./find-threshold";
import { edgeScores, influenceFromRows, rowScales, type StoredRows } from "./node-influence";

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
  /** Each unpruned row's 1 / max(Σ|row|, ε), [R]: graphScores reads them instead of computing them again. */
  scales: Float64Array;
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
  const scales = rowScales(adj);
  const influence = influenceFromRows(adj, scales, w);
  const nodeCut = findThreshold(influence, nodeThreshold);
  const nodeMask = new Uint8Array(N);
  for (let i = 0; i < N; i++) nodeMask[i] = i >= tokenStart || influence[i]! >= nodeCut ? 1 : 0;

  // Step 4: zero the rows and columns of dropped nodes.
  const pruned = new Float32Array(adj.rows);
  for (let r = 0; r < R; r++) {
    if (!nodeMask[rowNode[r]!]) pruned.fill(0, r * N, (r + 1) * N);
    else for (let s = 0; s < N; s++) if (!nodeMask[s]) pruned[r * N + s] = 0;
  }

  // Steps 5–6: edge scores and the edge cut over all entries (zeros carry no share).
  const scores = edgeScores({ N, rowNode, rows: pruned }, w);
  const edgeCut = findThreshold(scores, edgeThreshold);
  const edgeMask = new Uint8Array(R * N);
  for (let i = 0; i < R * N; i++) edgeMask[i] = scores[i]! > 0 && scores[i]! >= edgeCut ? 1 : 0;

  // Step 7: connectivity clean-up until nothing changes. Features and errors need an outgoing edge;
  // features also need an incoming one. Removing a node only removes edges, so the nodes that survive
  // do not depend on the order of removal: a worklist with edge counts reaches the same fixed point
  // as rounds of "drop every failing node at once", touching each removed node's row and column once.
  const rowOf = new Int32Array(N).fill(-1);
  rowNode.forEach((node, r) => (rowOf[node] = r));
  const outCount = new Int32Array(N);
  const inCount = new Int32Array(N);
  for (let r = 0; r < R; r++) {
    const t = rowNode[r]!;
    for (let s = 0, at = r * N; s < N; s++, at++) if (edgeMask[at]) (outCount[s]!++, inCount[t]!++);
  }
  const fails = (i: number) => i < tokenStart && (outCount[i] === 0 || (i < layout.nFeatures && inCount[i] === 0));
  const pending: number[] = [];
  for (let i = 0; i < tokenStart; i++) if (nodeMask[i] && fails(i)) pending.push(i);
  while (pending.length > 0) {
    const i = pending.pop()!;
    if (!nodeMask[i]) continue;
    nodeMask[i] = 0;
    const r = rowOf[i]!;
    if (r >= 0) {
      for (let s = 0, at = r * N; s < N; s++, at++) {
        if (!edgeMask[at]) continue;
        edgeMask[at] = 0;
        inCount[i]!--;
        if (--outCount[s]! === 0 && nodeMask[s] && fails(s)) pending.push(s);
      }
    }
    for (let r2 = 0; r2 < R; r2++) {
      const at = r2 * N + i;
      if (!edgeMask[at]) continue;
      edgeMask[at] = 0;
      outCount[i]!--;
      const t = rowNode[r2]!;
      if (--inCount[t]! === 0 && nodeMask[t] && fails(t)) pending.push(t);
    }
  }

  return { nodeMask, edgeMask, cumulativeScores: cumulativeScores(influence), influence, scales };
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
