/**
 * Influence on the logits over a graph stored as its nonzero rows (reference §3.1, §3.2):
 * rows[r · N + s] = A[rowNode[r], s]; every other row of A is zero. Shape letters: R stored rows,
 * N nodes.
 */
export interface StoredRows {
  N: number;
  rowNode: Int32Array; // [R]
  rows: Float32Array; // [R, N]
}

/** Â[t, s] = |A[t, s]| / max(Σ_s' |A[t, s']|, ε), [R, N]. */
export function normalizeRows(adj: StoredRows, epsilon = 1e-10): Float32Array {
  const { N, rows } = adj;
  const R = adj.rowNode.length;
  const out = new Float32Array(R * N); // (R, N)
  for (let r = 0; r < R; r++) {
    let s = 0;
    for (let i = 0; i < N; i++) s += Math.abs(rows[r * N + i]!);
    const scale = 1 / Math.max(s, epsilon);
    for (let i = 0; i < N; i++) out[r * N + i] = Math.abs(rows[r * N + i]!) * scale;
  }
  return out;
}

/**
 * Σ_{k≥1} (w Âᵏ): push influence from targets to sources until it vanishes. The graph is a DAG, so
 * Â is nilpotent and this ends within (longest path) steps; 1000 is the library's guard. [N]
 */
export function influenceFromNormalized(normalized: Float32Array, adj: StoredRows, w: ArrayLike<number>): Float64Array {
  const { N, rowNode } = adj;
  const total = new Float64Array(N);
  let value = Float64Array.from(w);
  for (let iteration = 0; iteration < 1000; iteration++) {
    const next = new Float64Array(N);
    let any = false;
    for (let r = 0; r < rowNode.length; r++) {
      const v = value[rowNode[r]!]!;
      if (v === 0) continue;
      for (let s = 0; s < N; s++) next[s]! += v * normalized[r * N + s]!;
    }
    for (let s = 0; s < N; s++) {
      if (next[s] !== 0) any = true;
      total[s]! += next[s]!;
    }
    if (!any) return total;
    value = next;
  }
  throw new Error("influence: no convergence after 1000 iterations (the adjacency contains a cycle)");
}

export function nodeInfluence(adj: StoredRows, w: ArrayLike<number>): Float64Array {
  return influenceFromNormalized(normalizeRows(adj), adj, w);
}

/** edge_score[t, s] = Â[t, s] · (influence[t] + w[t]) (reference §3.4 step 5), [R, N]. */
export function edgeScores(adj: StoredRows, w: ArrayLike<number>): Float32Array {
  const normalized = normalizeRows(adj);
  const influence = influenceFromNormalized(normalized, adj, w);
  const { N, rowNode } = adj;
  for (let r = 0; r < rowNode.length; r++) {
    const target = influence[rowNode[r]!]! + w[rowNode[r]!]!;
    for (let s = 0; s < N; s++) normalized[r * N + s]! *= target;
  }
  return normalized;
}
