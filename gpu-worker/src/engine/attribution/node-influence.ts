/**
 * Influence on the logits over a graph stored as its nonzero rows (reference §3.1, §3.2):
 * rows[r · N + s] = A[rowNode[r], s]; every other row of A is zero. Shape letters: R stored rows,
 * N nodes. The row-normalised matrix Â[t, s] = |A[t, s]| / max(Σ_s' |A[t, s']|, ε) is never built:
 * each row's scale 1 / max(Σ|row|, ε) is computed once (rowScales) and applied on the fly.
 */
export interface StoredRows {
  N: number;
  rowNode: Int32Array; // [R]
  rows: Float32Array; // [R, N]
}

/** 1 / max(Σ_s |A[t, s]|, ε) for every stored row, [R]. */
export function rowScales(adj: StoredRows, epsilon = 1e-10): Float64Array {
  const { N, rows } = adj;
  const R = adj.rowNode.length;
  const scales = new Float64Array(R);
  for (let r = 0; r < R; r++) {
    let s = 0;
    for (let i = r * N; i < (r + 1) * N; i++) s += Math.abs(rows[i]!);
    scales[r] = 1 / Math.max(s, epsilon);
  }
  return scales;
}

/**
 * Σ_{k≥1} (w Âᵏ): the influence reaching every node along paths of any length. [N]
 *
 * In the canonical node order (features by layer, then errors, tokens, logits) every edge runs from a
 * lower node index to a higher one, so one sweep over the rows in descending node order finishes each
 * node's influence before its own row pushes it on: (L + 2) times fewer passes over the rows than the
 * wave-by-wave definition. The sweep checks that order as it goes (an edge into a node whose row was
 * already swept) and falls back to the waves, influenceByWaves, which is also its oracle in the tests.
 */
export function influenceFromRows(adj: StoredRows, scales: Float64Array, w: ArrayLike<number>): Float64Array {
  return influenceBySweep(adj, scales, w) ?? influenceByWaves(adj, scales, w);
}

function influenceBySweep(adj: StoredRows, scales: Float64Array, w: ArrayLike<number>): Float64Array | null {
  const { N, rowNode, rows } = adj;
  const R = rowNode.length;
  const hasRow = new Uint8Array(N);
  for (let r = 0; r < R; r++) hasRow[rowNode[r]!] = 1;
  const order = Int32Array.from({ length: R }, (_, r) => r).sort((a, b) => rowNode[b]! - rowNode[a]! || a - b);
  const arriving = new Float64Array(N);
  for (let k = 0; k < R; k++) {
    const r = order[k]!;
    const t = rowNode[r]!;
    const v = (arriving[t]! + w[t]!) * scales[r]!;
    if (v === 0) continue;
    const base = r * N;
    for (let s = 0; s < t; s++) arriving[s]! += v * Math.abs(rows[base + s]!);
    for (let s = t; s < N; s++) {
      const x = rows[base + s]!;
      if (x !== 0 && hasRow[s]) return null; // an edge against the order: s's row has been swept already
      arriving[s]! += v * Math.abs(x);
    }
  }
  return arriving;
}

/** The definition: push influence from targets to sources wave by wave until it vanishes (1000 waves at most). */
export function influenceByWaves(adj: StoredRows, scales: Float64Array, w: ArrayLike<number>): Float64Array {
  const { N, rowNode, rows } = adj;
  const total = new Float64Array(N);
  let value = Float64Array.from(w);
  for (let iteration = 0; iteration < 1000; iteration++) {
    const next = new Float64Array(N);
    let any = false;
    for (let r = 0; r < rowNode.length; r++) {
      const v = value[rowNode[r]!]! * scales[r]!;
      if (v === 0) continue;
      for (let s = 0; s < N; s++) next[s]! += v * Math.abs(rows[r * N + s]!);
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
  return influenceFromRows(adj, rowScales(adj), w);
}

/** edge_score[t, s] = Â[t, s] · (influence[t] + w[t]) (reference §3.4 step 5), [R, N]. */
export function edgeScores(adj: StoredRows, w: ArrayLike<number>): Float32Array {
  const scales = rowScales(adj);
  const influence = influenceFromRows(adj, scales, w);
  const { N, rowNode, rows } = adj;
  const scores = new Float32Array(rows.length);
  for (let r = 0; r < rowNode.length; r++) {
    const target = (influence[rowNode[r]!]! + w[rowNode[r]!]!) * scales[r]!;
    for (let i = r * N; i < (r + 1) * N; i++) scores[i] = Math.abs(rows[i]!) * target;
  }
  return scores;
}
