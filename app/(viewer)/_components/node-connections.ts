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

// The renderer and the panel ask for the same lists on every click; a node with 10^4 links is sorted once.
const recent: { graph: TViewerGraph; node: number; direction: string; list: TConnectionList }[] = [];
const RECENT_LISTS = 4;

export function connectionsOf(graph: TViewerGraph, node: number, direction: "inputs" | "outputs"): TConnectionList {
  const hit = recent.find((r) => r.graph === graph && r.node === node && r.direction === direction);
  if (hit) return hit.list;
  const list = computeConnections(graph, node, direction);
  recent.unshift({ graph, node, direction, list });
  recent.length = Math.min(recent.length, RECENT_LISTS);
  return list;
}

function computeConnections(graph: TViewerGraph, node: number, direction: "inputs" | "outputs"): TConnectionList {
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
