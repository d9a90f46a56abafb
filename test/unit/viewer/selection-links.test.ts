import { describe, expect, it } from "vitest";
import { formatLinkMode, parseLinkMode } from "~/app/(viewer)/_components/link-mode";
import { connectionsOf } from "~/app/(viewer)/_components/node-connections";
import { selectionLinks, strongestByMagnitude } from "~/app/(viewer)/_components/selection-links";
import { kindOf } from "~/app/(viewer)/_components/viewer-graph";
import { DEMO_LONG, loadViewerGraph } from "./viewer-fixtures";

const graph = loadViewerGraph(DEMO_LONG);
const logit = Array.from({ length: graph.nodeCount }, (_, i) => i).find((i) => kindOf(graph, i) === "logit")!;

describe("links of the selection: at most K per selected node, by |weight|", () => {
  it("strongestByMagnitude takes the K largest |weight| from both ends of a weight-sorted list", () => {
    const sorted = connectionsOf(graph, logit, "inputs").sorted;
    expect(sorted.length).toBeGreaterThan(50);
    const k = 25;
    const expected = [...sorted]
      .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight))
      .slice(0, k)
      .map((r) => Math.abs(r.weight));
    expect(
      strongestByMagnitude(sorted, k)
        .map((r) => Math.abs(r.weight))
        .sort((a, b) => b - a),
    ).toEqual(expected);
  });

  it("a logit with hundreds of inputs draws K of them; 'show all' draws every one", () => {
    const degree = connectionsOf(graph, logit, "inputs").total + connectionsOf(graph, logit, "outputs").total;
    expect(selectionLinks(graph, [{ node: logit, perDirection: 10 }], 50_000).length).toBeLessThanOrEqual(20);
    expect(selectionLinks(graph, [{ node: logit, perDirection: Infinity }], 50_000)).toHaveLength(degree);
  });

  it("a link shared by two selected nodes is drawn once, and the frame's cost is bounded by K × selected", () => {
    const nodes = Array.from({ length: 60 }, (_, i) => i * 7).filter((i) => i < graph.nodeCount);
    const links = selectionLinks(
      graph,
      nodes.map((node) => ({ node, perDirection: 12 })),
      50_000,
    );
    expect(new Set(links.map((l) => l.link)).size).toBe(links.length);
    expect(links.length).toBeLessThanOrEqual(nodes.length * 2 * 12);
    // Weakest first, so the strongest are drawn last (on top).
    const magnitudes = links.map((l) => Math.abs(l.fractionOfInput));
    expect(magnitudes).toEqual([...magnitudes].sort((a, b) => a - b));
  });

  it("each link carries its share of the target's input, signed", () => {
    for (const l of selectionLinks(graph, [{ node: logit, perDirection: 5 }], 100)) {
      expect(l.fractionOfInput).toBeCloseTo(graph.weight[l.link]! / graph.inAbsSum[l.target]!, 12);
    }
  });
});

describe("link modes in the URL (`links=`)", () => {
  it.each([
    ["selection", { kind: "selection" }],
    ["strongest-5000", { kind: "strongest", count: 5000 }],
    ["all", { kind: "strongest", count: Infinity }],
  ] as const)("%s round-trips", (text, mode) => {
    expect(parseLinkMode(text)).toEqual(mode);
    expect(formatLinkMode(parseLinkMode(text))).toBe(text);
  });
  it("anything else is the default", () => {
    expect(parseLinkMode("strongest-x")).toEqual({ kind: "selection" });
    expect(parseLinkMode(undefined)).toEqual({ kind: "selection" });
  });
});
