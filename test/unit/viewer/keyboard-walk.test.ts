/** The arrow keys' next node: the strongest drawn input/output of the selection, checked against a full scan. */
import { describe, expect, it } from "vitest";
import { strongestNeighbour, walkDirectionOf } from "~/app/(viewer)/_components/keyboard-walk";
import { isNodeShown } from "~/app/(viewer)/_components/node-facts";
import type { TViewerGraph } from "~/app/(viewer)/_components/viewer-graph";
import { DEMO_LONG, loadViewerGraph } from "./viewer-fixtures";

/** The slow way: every link into / out of the node, the drawn neighbour with the largest |weight|, first link on ties. */
function bruteStrongest(
  graph: TViewerGraph,
  state: { threshold: number; clicked: number; pinned: number[] },
  direction: "inputs" | "outputs",
) {
  let best: number | null = null;
  let bestMagnitude = -1;
  for (let l = 0; l < graph.linkCount; l += 1) {
    const isMine = direction === "inputs" ? graph.target[l] === state.clicked : graph.source[l] === state.clicked;
    if (!isMine) continue;
    const other = direction === "inputs" ? graph.source[l]! : graph.target[l]!;
    if (other === state.clicked || !isNodeShown(graph, state, other)) continue;
    if (Math.abs(graph.weight[l]!) > bestMagnitude) {
      best = other;
      bestMagnitude = Math.abs(graph.weight[l]!);
    }
  }
  return best;
}

describe("keyboard walk", () => {
  it("maps ↓/← to inputs, ↑/→ to outputs, and nothing else", () => {
    expect(["ArrowDown", "ArrowLeft", "ArrowUp", "ArrowRight", "Enter", "j"].map(walkDirectionOf)).toEqual([
      "inputs",
      "inputs",
      "outputs",
      "outputs",
      null,
      null,
    ]);
  });

  const graph = loadViewerGraph(DEMO_LONG);
  it("moves to the strongest drawn neighbour, on every node and both directions, at two thresholds", () => {
    for (const threshold of [1, 0.6]) {
      for (let node = 0; node < graph.nodeCount; node += 1) {
        for (const direction of ["inputs", "outputs"] as const) {
          const state = { threshold, clicked: node, pinned: [] };
          expect(strongestNeighbour(graph, state, direction), `${graph.nodeIds[node]} ${direction}`).toBe(
            bruteStrongest(graph, state, direction),
          );
        }
      }
    }
  });

  it("does nothing without a selection; from a logit ↑ finds no output and ↓ an input", () => {
    expect(strongestNeighbour(graph, { threshold: 1, clicked: null, pinned: [] }, "inputs")).toBeNull();
    const logit = graph.nodeIds.findIndex(
      (_, i) => graph.outOffsets[i + 1] === graph.outOffsets[i] && graph.inOffsets[i + 1]! > graph.inOffsets[i]!,
    );
    expect(strongestNeighbour(graph, { threshold: 1, clicked: logit, pinned: [] }, "outputs")).toBeNull();
    expect(strongestNeighbour(graph, { threshold: 1, clicked: logit, pinned: [] }, "inputs")).not.toBeNull();
  });
});
