import type { TGraph } from "./graph-types";

// circuit-tracer's `qParams.sg_pos`: "x y x y …", one pair per box of its subgraph diagram in 0..1000 of the
// diagram's width and height, in the order its viewer builds the boxes (init-cg-subgraph.js): first the pinned
// nodes outside every supernode, in the file's node order sorted by layer (d3.sort by +layer: numbers
// ascending, "E" = NaN last), then the supernodes in order. Our positions are keyed by box (node_id, or
// "sn:" + label), so the order is rebuilt here from the graph.

export function circuitTracerSgPos(
  graph: Pick<TGraph, "nodes" | "nodeIndexById">,
  pinnedIds: readonly string[],
  supernodes: readonly (readonly string[])[],
  positions: readonly (readonly [string, number, number])[],
): string | null {
  if (positions.length === 0) return null;
  const at = new Map(positions.map(([key, x, y]) => [key, [x, y] as const]));
  const inSupernode = new Set(supernodes.flatMap(([, ...members]) => members));
  const pinned = new Set(pinnedIds.filter((id) => !inSupernode.has(id)));
  const order = graph.nodes
    .filter((n) => pinned.has(n.nodeId) && graph.nodeIndexById.get(n.nodeId) === n.index)
    .map((n) => ({ key: n.nodeId, layer: n.layer === null ? Number.NaN : n.layer, index: n.index }))
    .sort((a, b) => {
      if (Number.isNaN(a.layer) || Number.isNaN(b.layer))
        return Number(Number.isNaN(a.layer)) - Number(Number.isNaN(b.layer)) || a.index - b.index;
      return a.layer - b.layer || a.index - b.index;
    })
    .map((n) => n.key);
  for (const [label] of supernodes) order.push(`sn:${label ?? ""}`);
  const pairs: string[] = [];
  for (const key of order) {
    const p = at.get(key);
    if (p === undefined) return null; // circuit-tracer reads pairs by position: a gap would shift every later box
    pairs.push(`${Math.round(p[0])} ${Math.round(p[1])}`);
  }
  return pairs.join(" ");
}
