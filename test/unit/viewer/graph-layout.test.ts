import { describe, expect, it } from "vitest";
import { layoutGraph, type TGraphLayout } from "~/app/(viewer)/_components/graph-layout";
import { kindOf, type TViewerGraph } from "~/app/(viewer)/_components/viewer-graph";
import { FIXTURES, loadViewerGraph } from "./viewer-fixtures";

/** The band a node belongs in: embeddings 0, layer L at L + 1, logits on top. */
function expectedBand(graph: TViewerGraph, node: number, nLayers: number): number {
  const kind = kindOf(graph, node);
  if (kind === "embedding") return 0;
  if (kind === "logit") return nLayers + 1;
  return graph.layers[node]! + 1;
}

/** The band whose extent holds y (bands are stacked from 0 upwards, bandHeight each). */
const bandAt = (layout: TGraphLayout, y: number) => Math.floor(y / layout.bandHeight);

const ASPECTS = [0.6, 0.25, 2];

describe.each(FIXTURES)("layoutGraph on $name", (fixture) => {
  const graph = loadViewerGraph(fixture);

  describe.each(ASPECTS)("aspect %f", (aspect) => {
    const layout = layoutGraph(graph, aspect);

    it("has one band per layer, embeddings at the bottom and logits on top", () => {
      expect(layout.bandLabels).toEqual(["Emb", ...Array.from({ length: fixture.nLayers }, (_, l) => `L${l}`), "Lgt"]);
      expect(layout.bandCenters).toHaveLength(fixture.nLayers + 2);
      for (let b = 1; b < layout.bandCenters.length; b += 1) {
        expect(layout.bandCenters[b]! - layout.bandCenters[b - 1]!).toBeCloseTo(layout.bandHeight, 4);
      }
      expect(layout.bandHeight).toBeGreaterThanOrEqual(1);
    });

    it("places each node inside its layer's band", () => {
      for (let i = 0; i < graph.nodeCount; i += 1) {
        expect(bandAt(layout, layout.y[i]!), `${graph.nodeIds[i]} (${kindOf(graph, i)})`).toBe(
          expectedBand(graph, i, fixture.nLayers),
        );
      }
    });

    it("puts every embedding below every feature, and every logit above", () => {
      const ys = (kind: string) =>
        Array.from({ length: graph.nodeCount }, (_, i) => i)
          .filter((i) => kindOf(graph, i) === kind)
          .map((i) => layout.y[i]!);
      const inner = [...ys("feature"), ...ys("error")];
      expect(Math.max(...ys("embedding"))).toBeLessThan(Math.min(...inner));
      expect(Math.min(...ys("logit"))).toBeGreaterThan(Math.max(...inner));
    });

    it("has one column per token, left to right in prompt order, holding that token's nodes", () => {
      expect(layout.columnCenters).toHaveLength(fixture.tokens);
      for (let c = 1; c < layout.columnCenters.length; c += 1)
        expect(layout.columnCenters[c]!).toBeGreaterThan(layout.columnCenters[c - 1]!);
      // Columns have their own widths, laid side by side from x = 0 with one slot between them.
      const extents: [number, number][] = [];
      let start = 0;
      for (const center of layout.columnCenters) {
        const end = 2 * center - start;
        extents.push([start, end]);
        start = end + 1;
      }
      expect(extents.at(-1)![1]).toBeCloseTo(layout.width, 3);
      for (let i = 0; i < graph.nodeCount; i += 1) {
        if (kindOf(graph, i) === "logit") continue; // logits may spread past their column, for their bigger glyphs
        const column = extents.findIndex(([from, to]) => layout.x[i]! >= from - 1e-4 && layout.x[i]! <= to + 1e-4);
        expect(column, `${graph.nodeIds[i]} at x=${layout.x[i]}`).toBe(graph.ctxIdx[i]);
      }
      // Logits: all at the last position, spread over the width, the most probable rightmost.
      const logits = Array.from({ length: graph.nodeCount }, (_, i) => i).filter((i) => kindOf(graph, i) === "logit");
      for (const i of logits) expect(graph.ctxIdx[i]).toBe(fixture.tokens - 1);
      const byX = [...logits].sort((a, b) => layout.x[b]! - layout.x[a]!);
      const probs = byX.map((i) => graph.tokenProb[i]!);
      expect(probs).toEqual([...probs].sort((a, b) => b - a));
      expect(layout.x[byX.at(-1)!]!).toBeLessThan(layout.width / 2);
    });

    it("puts no two nodes at the same point, nor within one slot of each other", () => {
      const points = new Set<string>();
      for (let i = 0; i < graph.nodeCount; i += 1) points.add(`${layout.x[i]},${layout.y[i]}`);
      expect(points.size).toBe(graph.nodeCount);
      // Nodes sharing a row (same y) are at least one slot apart.
      const rows = new Map<number, number[]>();
      for (let i = 0; i < graph.nodeCount; i += 1)
        rows.set(layout.y[i]!, [...(rows.get(layout.y[i]!) ?? []), layout.x[i]!]);
      for (const xs of rows.values()) {
        xs.sort((a, b) => a - b);
        for (let k = 1; k < xs.length; k += 1) expect(xs[k]! - xs[k - 1]!).toBeGreaterThanOrEqual(1 - 1e-4);
      }
    });

    it("fits every node in the box it asks the viewport to show", () => {
      for (let i = 0; i < graph.nodeCount; i += 1) {
        expect(layout.x[i]).toBeGreaterThanOrEqual(layout.bbox.x[0]);
        expect(layout.x[i]).toBeLessThanOrEqual(layout.bbox.x[1]);
        expect(layout.y[i]).toBeGreaterThanOrEqual(layout.bbox.y[0]);
        expect(layout.y[i]).toBeLessThanOrEqual(layout.bbox.y[1]);
      }
      expect(Number.isFinite(layout.width) && layout.width > 0).toBe(true);
    });
  });

  it("has the viewport's aspect ratio (height = width × aspect) when the bands are not at their minimum height", () => {
    for (const aspect of ASPECTS) {
      const layout = layoutGraph(graph, aspect);
      if (layout.bandHeight > 1)
        expect(layout.bandHeight * layout.bandCenters.length).toBeCloseTo(layout.width * aspect, 3);
    }
  });

  it("orders a cell's nodes by importance (lowest cumulative influence): top sub-row first, then left to right", () => {
    const layout = layoutGraph(graph, 0.6);
    const cells = new Map<string, number[]>();
    for (let i = 0; i < graph.nodeCount; i += 1) {
      if (kindOf(graph, i) !== "feature") continue;
      const key = `${graph.layers[i]}/${graph.ctxIdx[i]}`;
      cells.set(key, [...(cells.get(key) ?? []), i]);
    }
    let crowded = 0;
    for (const members of cells.values()) {
      const byImportance = [...members].sort((a, b) => graph.influence[a]! - graph.influence[b]! || a - b);
      const byPosition = [...members].sort((a, b) => layout.y[b]! - layout.y[a]! || layout.x[a]! - layout.x[b]!);
      expect(byPosition).toEqual(byImportance);
      if (new Set(members.map((i) => layout.y[i])).size > 1) crowded += 1;
    }
    if (graph.nodeCount > 400) expect(crowded).toBeGreaterThan(0); // some cells wrap into sub-rows
  });

  it("gives the same layout every time", () => {
    const a = layoutGraph(graph, 0.6);
    const b = layoutGraph(graph, 0.6);
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    expect(Array.from(a.y)).toEqual(Array.from(b.y));
  });
});
