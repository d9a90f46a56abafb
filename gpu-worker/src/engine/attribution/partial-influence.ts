import type { RowBuffer } from "./row-buffer";

/**
 * Estimated influence of every node from the rows computed so far (reference §3.6), used to
 * decide which features get their own rows when max_feature_nodes < n_act. Rows are |E|
 * row-normalised; influence starts at the logit weights and flows to sources along every path.
 *
 * Row r of `rows` has `nCols` entries (features, errors, tokens); rows.node[r] is the node whose incoming
 * edges it holds: a feature index < n_act, or nCols + k for logit k. targetLayer(node) is the layer a
 * feature reads at. Each row's normalisation was computed once, when it was stored.
 *
 * One sweep instead of iterating to convergence: edges only run from lower layers to higher ones (a
 * feature reads the residual before its own layer's MLP), so visiting rows by target layer, logits
 * first, finishes every node's influence before its own row pushes it on. The sum over path lengths
 * that the iteration builds wave by wave is built here in one pass (about n_layers + 2 times fewer
 * passes over the rows). partialInfluenceIterative, the direct transcription, is kept as its oracle.
 */
export function partialInfluence(
  rows: RowBuffer,
  logitWeights: ArrayLike<number>,
  targetLayer: (node: number) => number,
): Float64Array {
  const { nCols, node, data, inverseAbsSum, count: R } = rows;
  const layer = new Float64Array(R);
  for (let r = 0; r < R; r++) layer[r] = node[r]! >= nCols ? Number.POSITIVE_INFINITY : targetLayer(node[r]!);
  const order = Int32Array.from({ length: R }, (_, r) => r).sort((a, b) => layer[b]! - layer[a]! || a - b);
  const total = new Float64Array(nCols); // influence arriving at each node, over all paths
  for (let k = 0; k < R; k++) {
    const r = order[k]!;
    const n = node[r]!;
    const influence = n >= nCols ? logitWeights[n - nCols]! : total[n]!;
    if (influence === 0) continue;
    const v = influence * inverseAbsSum[r]!;
    const base = r * nCols;
    for (let i = 0; i < nCols; i++) total[i]! += v * Math.abs(data[base + i]!);
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
