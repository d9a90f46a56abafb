// The connections panel's data for one node: its inputs and outputs, each row with the signed weight and the
// share of the target's total |input| (pctInput, as in Neuronpedia), sorted by weight (strongest positive
// first) and grouped by the token of the other node. Groups are ordered by their first row, so the first row
// shown is the strongest connection overall. O(degree log degree) on the adjacency arrays.
import type { TViewerGraph } from "./viewer-graph";

export interface TConnection {
  readonly link: number;
  readonly node: number;
  readonly weight: number;
  /** weight ÷ Σ|inputs of the link's target|. */
  readonly fractionOfInput: number;
}

export interface TConnectionGroup {
  readonly ctxIdx: number;
  readonly rows: readonly TConnection[];
}

export interface TConnectionList {
  readonly total: number;
  /** All rows, sorted by weight descending. */
  readonly sorted: readonly TConnection[];
  readonly groups: readonly TConnectionGroup[];
}

export function connectionsOf(graph: TViewerGraph, node: number, direction: "inputs" | "outputs"): TConnectionList {
  const isInputs = direction === "inputs";
  const offsets = isInputs ? graph.inOffsets : graph.outOffsets;
  const links = isInputs ? graph.inLinks : graph.outLinks;
  const other = isInputs ? graph.source : graph.target;
  const start = offsets[node]!;
  const end = offsets[node + 1]!;
  const rows: TConnection[] = [];
  for (let k = start; k < end; k += 1) {
    const link = links[k]!;
    const target = graph.target[link]!;
    const weight = graph.weight[link]!;
    const denominator = graph.inAbsSum[target]!;
    rows.push({ link, node: other[link]!, weight, fractionOfInput: denominator > 0 ? weight / denominator : 0 });
  }
  rows.sort((a, b) => b.weight - a.weight || a.link - b.link);
  const byToken = new Map<number, TConnection[]>();
  for (const row of rows) {
    const ctx = graph.ctxIdx[row.node]!;
    const group = byToken.get(ctx);
    if (group) group.push(row);
    else byToken.set(ctx, [row]);
  }
  // Map keeps insertion order, which is the order of each group's strongest row.
  const groups = [...byToken].map(([ctxIdx, groupRows]) => ({ ctxIdx, rows: groupRows }));
  return { total: rows.length, sorted: rows, groups };
}
