import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildViewerGraph, fileViewState, resolveViewState } from "~/app/(viewer)/_components/build-viewer-graph";
import { MAX_STRONGEST_LINKS } from "~/app/(viewer)/_components/strongest-links";
import { kindOf, transferablesOf, type TViewerGraph } from "~/app/(viewer)/_components/viewer-graph";
import { parseGraph } from "@circuitboard/shared/graph-format";
import { itInterop } from "../../fixtures/interop";
import {
  FIXTURES,
  loadGraph,
  loadViewerGraph,
  SMALL_BIG,
  SYNTHETIC_NEURONPEDIA,
  type TViewerFixture,
} from "./viewer-fixtures";

/** Link indices into / out of each node, by scanning every link of the parsed file. */
function bruteAdjacency(fixture: TViewerFixture): { into: number[][]; outOf: number[][]; absIn: number[] } {
  const { nodes, links } = loadGraph(fixture);
  const into = nodes.map((): number[] => []);
  const outOf = nodes.map((): number[] => []);
  const absIn = nodes.map(() => 0);
  for (let i = 0; i < links.count; i += 1) {
    const s = links.source[i]!;
    const t = links.target[i]!;
    into[t]!.push(i);
    outOf[s]!.push(i);
    absIn[t] = absIn[t]! + Math.abs(links.weight[i]!);
  }
  return { into, outOf, absIn };
}

function slice(offsets: Uint32Array, links: Uint32Array, node: number): number[] {
  return Array.from(links.subarray(offsets[node]!, offsets[node + 1]!));
}

describe.each(FIXTURES)("buildViewerGraph on $name", (fixture) => {
  const graph = loadViewerGraph(fixture);
  const file = loadGraph(fixture);

  it("keeps every node and link of the file", () => {
    expect(graph.nodeCount).toBe(fixture.nodes);
    expect(graph.linkCount).toBe(fixture.links);
    expect(graph.nodeIds).toEqual(file.nodes.map((n) => n.nodeId));
    expect(Array.from(graph.source)).toEqual(Array.from(file.links.source));
    expect(Array.from(graph.target)).toEqual(Array.from(file.links.target));
    expect(Array.from(graph.weight)).toEqual(Array.from(file.links.weight));
  });

  it("lists exactly each node's incoming and outgoing links (brute force over the file's links)", () => {
    const { into, outOf } = bruteAdjacency(fixture);
    expect(graph.inOffsets).toHaveLength(graph.nodeCount + 1);
    expect(graph.outOffsets).toHaveLength(graph.nodeCount + 1);
    expect(graph.inOffsets[graph.nodeCount]).toBe(graph.linkCount);
    expect(graph.outOffsets[graph.nodeCount]).toBe(graph.linkCount);
    for (let node = 0; node < graph.nodeCount; node += 1) {
      // File order within a node, so the lists are the same on every load.
      expect(slice(graph.inOffsets, graph.inLinks, node), `inputs of ${graph.nodeIds[node]}`).toEqual(into[node]);
      expect(slice(graph.outOffsets, graph.outLinks, node), `outputs of ${graph.nodeIds[node]}`).toEqual(outOf[node]);
    }
  });

  it("gives each node's total |input| as the sum of |weight| over the links into it", () => {
    const { absIn } = bruteAdjacency(fixture);
    let withInputs = 0;
    for (let node = 0; node < graph.nodeCount; node += 1) {
      const expected = absIn[node]!;
      expect(graph.inAbsSum[node]).toBeCloseTo(expected, 9);
      expect(Math.abs(graph.inAbsSum[node]! - expected)).toBeLessThanOrEqual(1e-12 * Math.max(1, expected));
      if (expected > 0) withInputs += 1;
    }
    // Embeddings have no inputs; nearly every other node has some.
    expect(withInputs).toBeGreaterThan(graph.nodeCount / 2);
    for (let node = 0; node < graph.nodeCount; node += 1) {
      if (kindOf(graph, node) === "embedding") expect(graph.inAbsSum[node]).toBe(0);
    }
  });

  it("puts every link into the drawable set, strongest first, ties in file order", () => {
    expect(fixture.links).toBeLessThan(MAX_STRONGEST_LINKS);
    const expected = Array.from({ length: graph.linkCount }, (_, i) => i).sort(
      (a, b) => Math.abs(graph.weight[b]!) - Math.abs(graph.weight[a]!) || a - b,
    );
    expect(Array.from(graph.strongest)).toEqual(expected);
  });

  it("carries the columns the panels and layout read", () => {
    expect(graph.tokens).toEqual(file.metadata.prompt_tokens);
    expect(graph.tokens).toHaveLength(fixture.tokens);
    expect(graph.nLayers).toBe(fixture.nLayers);
    expect(graph.fileNodeThreshold).toBe(fixture.nodeThreshold);
    for (const node of file.nodes) {
      const i = node.index;
      expect(kindOf(graph, i)).toBe(node.kind);
      expect(graph.ctxIdx[i]).toBe(node.ctxIdx);
      expect(graph.clerps[i]).toBe(node.clerp);
      if (node.kind === "embedding") expect(graph.layers[i]).toBe(-1);
      else expect(graph.layers[i]).toBe(node.layer);
      if (node.kind === "logit") {
        expect(graph.layers[i]).toBe(fixture.nLayers + 1);
        expect(graph.influence[i]).toBeNaN();
        expect(graph.tokenProb[i]).toBeGreaterThan(0);
      } else {
        expect(graph.influence[i]).toBe(node.influence);
      }
      if (node.kind === "feature") {
        expect(graph.featureLayer[i]).toBe(node.featureLayer);
        expect(graph.featureIndex[i]).toBe(node.featureIndex);
        expect(graph.featureLayer[i]).toBe(node.layer);
      } else {
        expect(graph.featureLayer[i]).toBe(-1);
        expect(graph.featureIndex[i]).toBe(-1);
      }
    }
  });

  it("crosses a worker boundary as transferred buffers, intact", () => {
    // A graph of its own: the link columns are the parser's arrays, and transferring them detaches them.
    const fresh = buildViewerGraph(parseGraph(readFileSync(join(fixture.dir, fixture.file))), null);
    const transfer = transferablesOf(fresh);
    expect(new Set(transfer).size).toBe(transfer.length);
    const copy = structuredClone(fresh, { transfer });
    // The sender's buffers are moved, not copied.
    expect(fresh.weight.byteLength).toBe(0);
    const expected: TViewerGraph = graph;
    expect(Array.from(copy.inLinks)).toEqual(Array.from(expected.inLinks));
    expect(Array.from(copy.outOffsets)).toEqual(Array.from(expected.outOffsets));
    expect(Array.from(copy.inAbsSum)).toEqual(Array.from(expected.inAbsSum));
    expect(Array.from(copy.strongest)).toEqual(Array.from(expected.strongest));
    expect(Array.from(copy.weight)).toEqual(Array.from(expected.weight));
    expect(copy.initialState).toEqual(expected.initialState);
  });
});

describe("the initial view state", () => {
  it("has nothing pinned for files without a saved subgraph", () => {
    for (const fixture of FIXTURES.filter((f) => f !== SMALL_BIG && f !== SYNTHETIC_NEURONPEDIA)) {
      const state = loadViewerGraph(fixture).initialState;
      expect(state).toEqual({
        pinned: [],
        supernodes: [],
        clerps: [],
        clicked: null,
        pruningThreshold: null,
        positions: [],
        unresolved: [],
      });
    }
  });

  itInterop("resolves small-big-en's saved subgraph (17 pins, 5 supernodes) to node indices", () => {
    const graph = loadViewerGraph(SMALL_BIG);
    const q = loadGraph(SMALL_BIG).qParams;
    const state = graph.initialState;
    expect(state.unresolved).toEqual([]);
    expect(state.pinned.map((i) => graph.nodeIds[i])).toEqual(q.pinnedIds);
    expect(state.supernodes).toHaveLength(5);
    expect(state.supernodes.map((s) => [s.label, ...s.members.map((i) => graph.nodeIds[i])])).toEqual(q.supernodes);
    // Supernode members are pinned.
    for (const s of state.supernodes) for (const m of s.members) expect(state.pinned).toContain(m);
    expect(state.clicked).toBeNull();
  });

  itInterop(
    "applies view state from elsewhere (URL, saved subgraph) instead of the file's, reporting references to no node",
    () => {
      const file = loadGraph(SMALL_BIG);
      const graph = loadViewerGraph(SMALL_BIG);
      const a = file.nodes[10]!.nodeId;
      const b = file.nodes[20]!.nodeId;
      const c = file.nodes[30]!.nodeId;
      const state = resolveViewState(file, {
        pinnedIds: [a, "nope_1_2", a],
        supernodes: [
          ["group", b, c],
          ["empty", "gone_0_0"],
        ],
        clerps: [[c, "my label"]],
        clickedId: b,
        pruningThreshold: 0.4,
      });
      expect(state.pinned.map((i) => graph.nodeIds[i])).toEqual([a, b, c]);
      expect(state.supernodes).toEqual([{ label: "group", members: [20, 30] }]);
      expect(state.clerps).toEqual([[graph.labelKeys[30], "my label"]]);
      expect(state.clicked).toBe(20);
      expect(state.pruningThreshold).toBe(0.4);
      expect(state.unresolved).toEqual(["nope_1_2", "gone_0_0"]);
    },
  );

  it.each([
    { threshold: -0.1, expected: null },
    { threshold: 0, expected: 0 },
    { threshold: 1, expected: 1 },
    { threshold: 1.5, expected: null },
  ])("takes pruning threshold $threshold as $expected", ({ threshold, expected }) => {
    const refs = { ...fileViewState(loadGraph(SYNTHETIC_NEURONPEDIA)), pruningThreshold: threshold };
    expect(resolveViewState(loadGraph(SYNTHETIC_NEURONPEDIA), refs).pruningThreshold).toBe(expected);
  });

  itInterop("resolves a jsNodeId reference (Anthropic-model files) to every node that carries it", () => {
    const file = loadGraph(SMALL_BIG);
    const counts = new Map<string, number[]>();
    for (const node of file.nodes) {
      const js = node.json.jsNodeId;
      if (js !== undefined) counts.set(js, [...(counts.get(js) ?? []), node.index]);
    }
    const [jsNodeId, indices] = [...counts].find(([, list]) => list.length > 1)!;
    const state = resolveViewState(file, {
      pinnedIds: [jsNodeId],
      supernodes: [],
      clerps: [],
      clickedId: "",
      pruningThreshold: null,
    });
    expect(state.pinned).toEqual(indices);
    expect(state.unresolved).toEqual([]);
  });
});
