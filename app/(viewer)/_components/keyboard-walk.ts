// Walking the graph with the arrow keys, from the selected node: ↓ or ← to its strongest input (towards the
// prompt's tokens, drawn below), ↑ or → to its strongest output (towards the logits, drawn above). Strongest
// is the largest |weight| among the links to nodes that are drawn (not pruned by the threshold, or pinned);
// ties go to the first link in file order. Pure: the viewer applies the answer (graph-viewer.tsx).
import { connectionsOf } from "./node-connections";
import { isNodeShown } from "./node-facts";
import type { TViewState } from "./view-store";
import type { TViewerGraph } from "./viewer-graph";

export type TWalkDirection = "inputs" | "outputs";

const WALK_KEYS: Readonly<Record<string, TWalkDirection>> = {
  ArrowDown: "inputs",
  ArrowLeft: "inputs",
  ArrowUp: "outputs",
  ArrowRight: "outputs",
};

/** The help line the viewer shows for these keys. */
export const WALK_HELP = "↑/→ strongest output · ↓/← strongest input · / search · Esc clear";

export function walkDirectionOf(key: string): TWalkDirection | null {
  return WALK_KEYS[key] ?? null;
}

/** The node an arrow key moves the selection to, or null (nothing selected, or no drawn neighbour that way). */
export function strongestNeighbour(
  graph: TViewerGraph,
  state: Pick<TViewState, "threshold" | "clicked" | "pinned">,
  direction: TWalkDirection,
): number | null {
  if (state.clicked === null) return null;
  let best: number | null = null;
  let bestMagnitude = -1;
  let bestLink = Number.POSITIVE_INFINITY;
  for (const row of connectionsOf(graph, state.clicked, direction).sorted) {
    if (row.node === state.clicked || !isNodeShown(graph, state, row.node)) continue;
    const magnitude = Math.abs(row.weight);
    if (magnitude > bestMagnitude || (magnitude === bestMagnitude && row.link < bestLink)) {
      best = row.node;
      bestMagnitude = magnitude;
      bestLink = row.link;
    }
  }
  return best;
}
