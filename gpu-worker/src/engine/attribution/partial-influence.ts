/**
 * Estimated influence of every node from the rows computed so far (reference §3.6), used to
 * decide which features get their own rows when max_feature_nodes < n_act. Rows are |E|
 * row-normalised; influence starts at the logit weights and flows to sources along every path.
 *
 * rows[r] has `nCols` entries (features, errors, tokens); rowNode[r] is the node whose incoming
 * edges row r holds: a feature index < n_act, or nCols + k for logit k. targetLayer(node) is the
 * layer a feature reads at.
 *
 * One sweep instead of iterating to convergence: edges only run from lower layers to higher ones (a
 * feature reads the residual before its own layer's MLP), so visiting rows by target layer, logits
 * first, finishes every node's influence before its own row pushes it on. The sum over path lengths
 * that the iteration builds wave by wave is built here in one pass (about n_layers + 2 times fewer
 * passes over the rows). partialInfluenceIterative, the direct transcription, is kept as its oracle.
 */
export function partialInfluence(
  rows: Float32Array[],
  rowNode: number[],
  logitWeights: number[],
  nCols: number,
  targetLayer: (node: number) => number,
): Float64Array {
  const layerOfRow = (r: number) => (rowNode[r]! >= nCols ? Number.POSITIVE_INFINITY : targetLayer(rowNode[r]!));
  const order = rows.map((_, r) => r).sort((a, b) => layerOfRow(b) - layerOfRow(a) || a - b);
  const total = new Float64Array(nCols); // influence arriving at each node, over all paths
  for (const r of order) {
    const row = rows[r]!;
    const node = rowNode[r]!;
    const influence = node >= nCols ? logitWeights[node - nCols]! : total[node]!;
    if (influence === 0) continue;
    let s = 0;
    for (let i = 0; i < nCols; i++) s += Math.abs(row[i]!);
    const v = influence / Math.max(s, 1e-8);
    for (let i = 0; i < nCols; i++) total[i]! += v * Math.abs(row[i]!);
  }
  return total;
}

/** The definition, wave by wave until nothing moves (reference §3.6): the oracle of partialInfluence. */
export function partialInfluenceIterative(
  rows: Float32Array[],
  rowNode: number[],
  logitWeights: number[],
  nCols: number,
): Float64Array {
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
