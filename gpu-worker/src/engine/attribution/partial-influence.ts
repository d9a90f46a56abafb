/**
 * Estimated influence of every node from the rows computed so far (reference §3.6), used to
 * decide which features get their own rows when max_feature_nodes < n_act. Rows are |E|
 * row-normalised; influence starts at the logit weights and is pushed to sources until it
 * vanishes (the rows form a DAG, so it does).
 * rows[r] has `nCols` entries (features, errors, tokens); rowNode[r] is the node whose incoming
 * edges row r holds: a feature index < n_act, or nCols + k for logit k.
 */
export function partialInfluence(rows: Float32Array[], rowNode: number[], logitWeights: number[], nCols: number): Float64Array {
  const normalised = rows.map((row) => {
    let s = 0;
    for (let i = 0; i < nCols; i++) s += Math.abs(row[i]!);
    return 1 / Math.max(s, 1e-8);
  });
  const value = new Float64Array(nCols + logitWeights.length); // current influence per node
  logitWeights.forEach((w, k) => (value[nCols + k] = w));
  const total = new Float64Array(nCols);
  for (let iteration = 0; iteration < 128; iteration++) {
    const next = new Float64Array(nCols + logitWeights.length);
    let any = false;
    rows.forEach((row, r) => {
      const v = value[rowNode[r]!]! * normalised[r]!;
      if (v === 0) return;
      for (let i = 0; i < nCols; i++) next[i]! += v * Math.abs(row[i]!);
    });
    for (let i = 0; i < nCols; i++) {
      if (next[i] !== 0) any = true;
      total[i]! += next[i]!;
    }
    if (!any) return total;
    value.set(next);
  }
  throw new Error("partialInfluence: no convergence after 128 iterations (the computed rows contain a cycle)");
}
