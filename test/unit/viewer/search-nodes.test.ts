import { expect, it } from "vitest";
import { baseLabel } from "~/app/(viewer)/_components/node-facts";
import { searchNodes } from "~/app/(viewer)/_components/search-nodes";
import { kindOf, type TViewerGraph } from "~/app/(viewer)/_components/viewer-graph";
import { describeInterop } from "../../fixtures/interop";
import { FIXTURES, indexOf, loadViewerGraph, MEOW, PUPPY, SMALL_BIG } from "./viewer-fixtures";

const NO_OVERRIDES = new Map<string, string>();
const ALL = 100_000;

/** Every node a query should find, the slow way (before the limit). */
function bruteMatches(
  graph: TViewerGraph,
  query: string,
  clerps: ReadonlyMap<string, string> = NO_OVERRIDES,
): Set<number> {
  const q = query.trim().toLowerCase();
  const found = new Set<number>();
  for (let i = 0; i < graph.nodeCount; i += 1) {
    if (graph.nodeIds[i]!.toLowerCase().startsWith(q) || baseLabel(graph, clerps, i).toLowerCase().includes(q))
      found.add(i);
    const token = graph.tokens[graph.ctxIdx[i]!];
    if (kindOf(graph, i) === "embedding" && token !== undefined && token.toLowerCase().includes(q)) found.add(i);
  }
  return found;
}

describeInterop("searchNodes", () => {
  const meow = loadViewerGraph(MEOW);
  const big = loadViewerGraph(SMALL_BIG);
  const puppy = loadViewerGraph(PUPPY);

  it.each([
    { on: "small-big-en", graph: big, query: "E_13388_2", matchedOn: "node id" },
    { on: "small-big-en", graph: big, query: "e_13388_2", matchedOn: "node id" },
    { on: "small-big-en", graph: big, query: "  27_7773_8  ", matchedOn: "node id" },
    { on: "puppy", graph: puppy, query: "17_42289_12", matchedOn: "node id" },
  ])("finds node id $query on $on, exact match first", ({ graph, query }) => {
    const hits = searchNodes(graph, NO_OVERRIDES, query);
    expect(hits[0]).toEqual({
      node: indexOf(graph, query.trim().toUpperCase()),
      matchedOn: "node id",
      text: query.trim().toUpperCase(),
    });
  });

  it("finds node ids by prefix (all logits of a Gemma graph start with 27_)", () => {
    const hits = searchNodes(big, NO_OVERRIDES, "27_", ALL);
    const logits = Array.from({ length: big.nodeCount }, (_, i) => i).filter((i) => kindOf(big, i) === "logit");
    expect(
      hits
        .filter((h) => h.matchedOn === "node id")
        .map((h) => h.node)
        .sort((a, b) => a - b),
    ).toEqual(logits);
  });

  it.each([
    { on: "small-big-en", graph: big, query: "opposite" },
    { on: "small-big-en", graph: big, query: "OPPOSITE" },
    { on: "small-big-en", graph: big, query: 'Output "big"' },
    { on: "meow", graph: meow, query: "Meow" },
    { on: "meow", graph: meow, query: "health/CANCER" },
    { on: "puppy", graph: puppy, query: 'output " PUPPY"' },
  ])("finds label $query on $on, case-insensitively", ({ graph, query }) => {
    const hits = searchNodes(graph, NO_OVERRIDES, query, ALL);
    const labelHits = hits.filter((h) => h.matchedOn === "label");
    expect(labelHits.length).toBeGreaterThan(0);
    for (const hit of labelHits) {
      expect(hit.text.toLowerCase()).toContain(query.toLowerCase());
      expect(hit.text).toBe(baseLabel(graph, NO_OVERRIDES, hit.node));
    }
    expect(new Set(hits.map((h) => h.node))).toEqual(bruteMatches(graph, query));
  });

  it.each([
    { on: "puppy", graph: puppy, query: "kitten", position: 8 },
    { on: "puppy", graph: puppy, query: "KITTEN", position: 8 },
    { on: "puppy", graph: puppy, query: "begin_of", position: 0 },
    { on: "meow", graph: meow, query: "bark", position: 5 },
    { on: "small-big-en", graph: big, query: "small", position: 5 },
  ])("finds token $query on $on: the embedding node at position $position", ({ graph, query, position }) => {
    const hits = searchNodes(graph, NO_OVERRIDES, query, ALL);
    const tokenHits = hits.filter((h) => h.matchedOn === "token");
    const embedding = Array.from({ length: graph.nodeCount }, (_, i) => i).find(
      (i) => kindOf(graph, i) === "embedding" && graph.ctxIdx[i] === position,
    );
    expect(tokenHits.map((h) => h.node)).toContain(embedding);
    expect(tokenHits.find((h) => h.node === embedding)!.text).toContain(`(position ${position})`);
  });

  it("searches the user's label overrides instead of the file's label", () => {
    const node = indexOf(big, "4_95_2");
    const fileLabel = big.clerps[node]!;
    expect(fileLabel).not.toBe("");
    const overrides = new Map([[big.labelKeys[node]!, "My Antonym Detector"]]);
    expect(searchNodes(big, overrides, "antonym detector")).toEqual([
      { node, matchedOn: "label", text: "My Antonym Detector" },
    ]);
    expect(searchNodes(big, overrides, fileLabel, ALL).map((h) => h.node)).not.toContain(node);
  });

  it("finds unlabelled features by their description (puppy has no labels)", () => {
    const node = Array.from({ length: puppy.nodeCount }, (_, i) => i).find((i) => kindOf(puppy, i) === "feature")!;
    const label = baseLabel(puppy, NO_OVERRIDES, node);
    expect(label).toMatch(/^Feature L\d+ #\d+$/);
    expect(searchNodes(puppy, NO_OVERRIDES, label.toLowerCase()).map((h) => h.node)).toContain(node);
  });

  it.each(["", "   ", "\t\n"])("returns nothing for the blank query %j", (query) => {
    expect(searchNodes(big, NO_OVERRIDES, query)).toEqual([]);
  });

  it("returns nothing for a query that matches nothing", () => {
    expect(searchNodes(big, NO_OVERRIDES, "zzqqxx-no-such-thing")).toEqual([]);
  });

  it.each(FIXTURES)("respects the limit, keeping the most important hits ($name)", (fixture) => {
    const graph = loadViewerGraph(fixture);
    const all = searchNodes(graph, NO_OVERRIDES, "1", ALL);
    expect(all.length).toBeGreaterThan(5);
    expect(searchNodes(graph, NO_OVERRIDES, "1")).toEqual(all.slice(0, 30));
    expect(searchNodes(graph, NO_OVERRIDES, "1", 5)).toEqual(all.slice(0, 5));
    // Non-exact hits in importance order: lowest cumulative influence first (logits, which have none, on top).
    const rank = (node: number) => (Number.isNaN(graph.influence[node]!) ? -1 : graph.influence[node]!);
    for (let k = 1; k < all.length; k += 1) expect(rank(all[k]!.node)).toBeGreaterThanOrEqual(rank(all[k - 1]!.node));
  });

  // Was a bug (search-nodes, duplicate hits), fixed: an embedding whose label contains the query (its file label or the
  // fallback `Emb: "…"` is built from the token) is listed twice, once as "label" and once as "token".
  it.each([
    { on: "meow", graph: meow, query: "dog" },
    { on: "puppy", graph: puppy, query: "kitten" },
  ])("lists each node at most once ($query on $on)", ({ graph, query }) => {
    const nodes = searchNodes(graph, NO_OVERRIDES, query, ALL).map((h) => h.node);
    expect(nodes).toHaveLength(new Set(nodes).size);
  });
});
