import { describe, expect, it } from "vitest";
import { connectionsOf, type TConnectionList } from "~/app/(viewer)/_components/node-connections";
import { kindOf, type TViewerGraph } from "~/app/(viewer)/_components/viewer-graph";
import { itInterop } from "../../fixtures/interop";
import { FIXTURES, loadViewerGraph, SMALL_BIG } from "./viewer-fixtures";

/** Nodes worth checking: the best-connected ones of each kind, plus a few spread over the file. */
function sampleNodes(graph: TViewerGraph): number[] {
  const degree = (i: number) =>
    graph.inOffsets[i + 1]! - graph.inOffsets[i]! + graph.outOffsets[i + 1]! - graph.outOffsets[i]!;
  const picked = new Set<number>();
  for (const kind of ["feature", "error", "embedding", "logit"] as const) {
    const ofKind = Array.from({ length: graph.nodeCount }, (_, i) => i).filter((i) => kindOf(graph, i) === kind);
    ofKind.sort((a, b) => degree(b) - degree(a) || a - b);
    for (const i of ofKind.slice(0, 3)) picked.add(i);
  }
  for (let i = 0; i < graph.nodeCount; i += Math.max(1, Math.floor(graph.nodeCount / 25))) picked.add(i);
  return [...picked];
}

/** The panel's rows the slow way: scan every link. */
function bruteRows(graph: TViewerGraph, node: number, direction: "inputs" | "outputs") {
  const rows: { link: number; node: number; weight: number }[] = [];
  for (let l = 0; l < graph.linkCount; l += 1) {
    if (direction === "inputs" && graph.target[l] === node)
      rows.push({ link: l, node: graph.source[l]!, weight: graph.weight[l]! });
    if (direction === "outputs" && graph.source[l] === node)
      rows.push({ link: l, node: graph.target[l]!, weight: graph.weight[l]! });
  }
  return rows;
}

/** Σ|weight| into every node, by one scan over the links. */
function bruteInAbs(graph: TViewerGraph): number[] {
  const sums = new Array<number>(graph.nodeCount).fill(0);
  for (let l = 0; l < graph.linkCount; l += 1)
    sums[graph.target[l]!] = sums[graph.target[l]!]! + Math.abs(graph.weight[l]!);
  return sums;
}

describe.each(FIXTURES)("connectionsOf on $name", (fixture) => {
  const graph = loadViewerGraph(fixture);
  const nodes = sampleNodes(graph);
  const inAbs = bruteInAbs(graph);
  const cases = nodes.flatMap((node) =>
    (["inputs", "outputs"] as const).map((direction) => ({ node, direction, id: graph.nodeIds[node] })),
  );

  it.each(cases)("$direction of $id: every link once, sorted by weight, grouped by token", ({ node, direction }) => {
    const list: TConnectionList = connectionsOf(graph, node, direction);
    const expected = bruteRows(graph, node, direction);
    expect(list.total).toBe(expected.length);
    // Exactly the node's links, each once.
    expect(list.sorted.map((r) => r.link).sort((a, b) => a - b)).toEqual(expected.map((r) => r.link));
    for (const row of list.sorted) {
      expect(row.weight).toBe(graph.weight[row.link]);
      expect(row.node).toBe(direction === "inputs" ? graph.source[row.link] : graph.target[row.link]);
    }
    // Strongest positive first, down to the strongest negative.
    for (let k = 1; k < list.sorted.length; k += 1)
      expect(list.sorted[k - 1]!.weight).toBeGreaterThanOrEqual(list.sorted[k]!.weight);
    // Groups: one per token of the other node, rows sorted, together holding every row once.
    const ctxs = list.groups.map((g) => g.ctxIdx);
    expect(new Set(ctxs).size).toBe(ctxs.length);
    expect(list.groups.flatMap((g) => g.rows).length).toBe(list.total);
    for (const group of list.groups) {
      expect(group.rows.length).toBeGreaterThan(0);
      for (const row of group.rows) expect(graph.ctxIdx[row.node]).toBe(group.ctxIdx);
      for (let k = 1; k < group.rows.length; k += 1)
        expect(group.rows[k - 1]!.weight).toBeGreaterThanOrEqual(group.rows[k]!.weight);
    }
    // Groups in the order of their strongest row: the first row shown is the first of `sorted`.
    for (let g = 1; g < list.groups.length; g += 1) {
      expect(list.groups[g - 1]!.rows[0]!.weight).toBeGreaterThanOrEqual(list.groups[g]!.rows[0]!.weight);
    }
    if (list.total > 0) expect(list.groups[0]!.rows[0]).toBe(list.sorted[0]);
  });

  it.each(cases)("$direction of $id: % of the target's input", ({ node, direction }) => {
    const list = connectionsOf(graph, node, direction);
    for (const row of list.sorted) {
      const target = graph.target[row.link]!;
      expect(row.fractionOfInput).toBeCloseTo(row.weight / inAbs[target]!, 12);
      expect(Math.abs(row.fractionOfInput)).toBeLessThanOrEqual(1 + 1e-12);
    }
    if (direction === "inputs" && list.total > 0) {
      // The shares of one node's inputs add up to 100% in magnitude.
      const total = list.sorted.reduce((sum, row) => sum + Math.abs(row.fractionOfInput), 0);
      expect(total).toBeCloseTo(1, 9);
    }
  });

  it("embeddings have no inputs; logits have no outputs", () => {
    for (let i = 0; i < graph.nodeCount; i += 1) {
      if (kindOf(graph, i) === "embedding")
        expect(connectionsOf(graph, i, "inputs")).toEqual({ total: 0, sorted: [], groups: [] });
      if (kindOf(graph, i) === "logit") expect(connectionsOf(graph, i, "outputs").total).toBe(0);
    }
  });
});

describe("connectionsOf answers the same question the same way", () => {
  itInterop("repeated calls give equal lists, for the other direction and other nodes in between", () => {
    const graph = loadViewerGraph(SMALL_BIG);
    const first = connectionsOf(graph, 600, "inputs");
    const copy = structuredClone(first);
    for (let i = 0; i < 10; i += 1) connectionsOf(graph, i, i % 2 ? "inputs" : "outputs");
    expect(connectionsOf(graph, 600, "inputs")).toEqual(copy);
    expect(connectionsOf(graph, 600, "outputs")).not.toEqual(copy);
  });

  it("does not mix up graphs with the same node index", () => {
    const a = loadViewerGraph(FIXTURES[0]!);
    const b = loadViewerGraph(FIXTURES[1]!);
    let differing = 0;
    for (let node = 0; node < a.nodeCount; node += 1) {
      for (const graph of [a, b, a]) {
        expect(connectionsOf(graph, node, "inputs").total).toBe(bruteRows(graph, node, "inputs").length);
      }
      if (bruteRows(a, node, "inputs").length !== bruteRows(b, node, "inputs").length) differing += 1;
    }
    expect(differing).toBeGreaterThan(10);
  });
});
