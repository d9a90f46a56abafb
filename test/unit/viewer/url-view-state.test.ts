import { describe, expect, it } from "vitest";
import { buildViewerGraph, resolveViewState } from "~/app/(viewer)/_components/build-viewer-graph";
import {
  VIEW_STATE_KEYS,
  viewStateFromUrl,
  viewStateQuery,
  type TSearchParams,
} from "~/app/(viewer)/_components/url-view-state";
import { initialViewState, type TViewState } from "~/app/(viewer)/_components/view-store";
import type { TViewerGraph, TViewStateRefs } from "~/app/(viewer)/_components/viewer-graph";
import { describeInterop } from "../../fixtures/interop";
import {
  DEMO_BEGAT,
  indexOf,
  loadGraph,
  loadViewerGraph,
  PUPPY,
  SMALL_BIG,
  type TViewerFixture,
} from "./viewer-fixtures";

/** A query string as Next.js hands it to the page: one string per key, an array for a repeated key. */
function searchParams(query: string): TSearchParams {
  const params: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(query)) {
    const previous = params[key];
    params[key] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  return params;
}

function state(patch: Partial<TViewState>): TViewState {
  return {
    clicked: null,
    pinned: [],
    supernodes: [],
    clerps: new Map(),
    shownLabels: new Map(),
    threshold: 1,
    linkMode: { kind: "selection" },
    showAllLinks: false,
    positions: new Map(),
    focused: null,
    commentedNodes: null,
    ...patch,
  };
}

/** What a reload of the written address shows: URL -> refs -> the worker's resolution -> the store's state. */
function reload(fixture: TViewerFixture, query: string): TViewState {
  const { refs, problems } = viewStateFromUrl(searchParams(query));
  expect(problems).toEqual([]);
  const resolved = buildViewerGraph(loadGraph(fixture), refs).initialState;
  expect(resolved.unresolved).toEqual([]);
  return initialViewState(resolved);
}

const shareable = (s: TViewState) => ({
  clicked: s.clicked,
  pinned: s.pinned,
  supernodes: s.supernodes,
  clerps: [...s.clerps].sort((a, b) => a[0].localeCompare(b[0])),
  threshold: s.threshold,
});

describeInterop("view state in the URL: serialise, then parse, gives the same view", () => {
  const big = loadViewerGraph(SMALL_BIG);
  const n = (graph: TViewerGraph, id: string) => indexOf(graph, id);
  const cases: { name: string; fixture: TViewerFixture; state: TViewState }[] = [
    { name: "a clicked node only", fixture: PUPPY, state: state({ clicked: 100 }) },
    { name: "pins in pinning order", fixture: PUPPY, state: state({ pinned: [300, 5, 77] }) },
    { name: "a pruning threshold", fixture: PUPPY, state: state({ pinned: [1], threshold: 0.35 }) },
    { name: "pruning threshold 0", fixture: PUPPY, state: state({ pinned: [1], threshold: 0 }) },
    {
      name: "a tiny pruning threshold (exponent notation)",
      fixture: PUPPY,
      state: state({ pinned: [1], threshold: 1e-7 }),
    },
    {
      name: "pins, supernodes, clicked, threshold and label overrides",
      fixture: SMALL_BIG,
      state: state({
        clicked: n(big, "27_7773_8"),
        pinned: [n(big, "27_7773_8"), n(big, "27_13210_8"), n(big, "E_13388_2"), n(big, "4_95_2")],
        supernodes: [{ label: 'Output "big" or "large"', members: [n(big, "27_7773_8"), n(big, "27_13210_8")] }],
        clerps: new Map([
          ["4_95", "opposite, antonym & co = 100% #1"],
          ["E_13388_2", "ünïcode — “quotes” ↵ [brackets]"],
        ]),
        threshold: 0.8,
      }),
    },
    {
      name: "a label override on an unpinned node",
      fixture: PUPPY,
      state: state({ clerps: new Map([[loadViewerGraph(PUPPY).labelKeys[42]!, "cat → kitten"]]) }),
    },
    { name: "small-big-en's own saved subgraph", fixture: SMALL_BIG, state: initialViewState(big.initialState) },
    {
      name: "supernodes whose members were pinned in another order",
      fixture: PUPPY,
      state: state({
        pinned: [9, 8, 7, 6],
        supernodes: [
          { label: "a", members: [7, 9] },
          { label: "b", members: [8, 6] },
        ],
      }),
    },
  ];

  it.each(cases)("$name", ({ fixture, state: original }) => {
    const graph = loadViewerGraph(fixture);
    const query = viewStateQuery(graph, original, new URLSearchParams());
    expect(query.startsWith("?")).toBe(true);
    expect(shareable(reload(fixture, query.slice(1)))).toEqual(shareable(original));
  });

  it("writes Neuronpedia's keys and formats", () => {
    const graph = loadViewerGraph(SMALL_BIG);
    const a = n(graph, "21_10062_8");
    const b = n(graph, "23_8683_8");
    const query = viewStateQuery(
      graph,
      state({
        pinned: [a, b],
        supernodes: [{ label: "say big", members: [a, b] }],
        clicked: a,
        threshold: 0.6,
        clerps: new Map([[graph.labelKeys[b]!, "x"]]),
      }),
      new URLSearchParams(),
    );
    const params = new URLSearchParams(query);
    expect(params.get("pinnedIds")).toBe("21_10062_8,23_8683_8");
    expect(JSON.parse(params.get("supernodes")!)).toEqual([["say big", "21_10062_8", "23_8683_8"]]);
    expect(params.get("clickedId")).toBe("21_10062_8");
    expect(params.get("pruningThreshold")).toBe("0.6");
    // By feature ("{layer}_{index}"), not by node: the label follows the feature to every position.
    expect(JSON.parse(params.get("clerps")!)).toEqual([["23_8683", "x"]]);
  });

  it("reads a Neuronpedia link", () => {
    const query =
      "pinnedIds=27_13210_8%2CE_10498_5%2C23_8683_8&supernodes=%5B%5B%22say+big%22%2C%2223_8683_8%22%2C%2227_13210_8%22%5D%5D" +
      "&clickedId=23_8683_8&pruningThreshold=0.55&clerps=%5B%5B%22E_10498_5%22%2C%22small%22%5D%5D";
    const { refs, problems } = viewStateFromUrl(searchParams(query));
    expect(problems).toEqual([]);
    expect(refs).toEqual({
      pinnedIds: ["27_13210_8", "E_10498_5", "23_8683_8"],
      supernodes: [["say big", "23_8683_8", "27_13210_8"]],
      clerps: [["E_10498_5", "small"]],
      clickedId: "23_8683_8",
      pruningThreshold: 0.55,
    });
    const graph = loadViewerGraph(SMALL_BIG);
    const view = reload(SMALL_BIG, query);
    expect(view.pinned.map((i) => graph.nodeIds[i])).toEqual(["27_13210_8", "E_10498_5", "23_8683_8"]);
    expect(view.clicked).toBe(n(graph, "23_8683_8"));
    expect(view.threshold).toBe(0.55);
    expect(view.clerps.get(graph.labelKeys[n(graph, "E_10498_5")]!)).toBe("small");
  });

  // Was a bug (url-view-state, empty view), fixed: a view with nothing pinned, clicked or pruned is written as no keys at
  // all, and no keys read back as "use the file's own saved subgraph" (refs null). On small-big-en, clearing
  // the 17 saved pins and sharing the address (or reloading) brings all 17 back.
  it("a cleared view on a file with a saved subgraph stays cleared after a reload", () => {
    const graph = loadViewerGraph(SMALL_BIG);
    const query = viewStateQuery(graph, state({}), new URLSearchParams());
    expect(shareable(reload(SMALL_BIG, query.replace(/^\?/, "")))).toEqual(shareable(state({})));
  });
});

describe("?s= (a saved subgraph) and the explicit keys", () => {
  it("?s= alone is not a view state of its own: the page loads the saved subgraph", () => {
    expect(viewStateFromUrl(searchParams("s=abc123"))).toEqual({ refs: null, problems: [] });
  });

  it("no view keys at all: null (the file's own state applies)", () => {
    expect(viewStateFromUrl(searchParams(""))).toEqual({ refs: null, problems: [] });
    expect(viewStateFromUrl(searchParams("embed=1&tab=x"))).toEqual({ refs: null, problems: [] });
  });

  it("explicit keys next to ?s= are read (they win over the saved subgraph)", () => {
    const { refs } = viewStateFromUrl(searchParams("s=abc123&pinnedIds=E_2_0"));
    expect(refs?.pinnedIds).toEqual(["E_2_0"]);
  });

  it.each(VIEW_STATE_KEYS.map((key) => [key]))("an empty %s= still counts as a view state", (key) => {
    expect(viewStateFromUrl(searchParams(`${key}=`)).refs).not.toBeNull();
  });

  it("writing the full form drops ?s= and the old view keys but keeps unrelated keys", () => {
    const graph = loadViewerGraph(DEMO_BEGAT);
    const query = viewStateQuery(
      graph,
      state({ pinned: [3] }),
      new URLSearchParams("s=abc&embed=1&pinnedIds=old&clerps=%5B%5D"),
    );
    const params = new URLSearchParams(query);
    expect(params.has("s")).toBe(false);
    expect(params.get("embed")).toBe("1");
    expect(params.getAll("pinnedIds")).toEqual([graph.nodeIds[3]]);
    expect(params.has("clerps")).toBe(false);
  });

  it("drops ?s= and keeps unrelated keys when the view is empty", () => {
    const params = new URLSearchParams(
      viewStateQuery(loadViewerGraph(DEMO_BEGAT), state({}), new URLSearchParams("s=abc&embed=1")),
    );
    expect(params.has("s")).toBe(false);
    expect(params.get("embed")).toBe("1");
    expect(
      params.has("supernodes") || params.has("clickedId") || params.has("clerps") || params.has("pruningThreshold"),
    ).toBe(false);
  });
});

describe("malformed values are reported and ignored, never thrown", () => {
  const empty: TViewStateRefs = { pinnedIds: [], supernodes: [], clerps: [], clickedId: "", pruningThreshold: null };
  const cases: { name: string; params: TSearchParams; refs: Partial<TViewStateRefs>; problems: string[] }[] = [
    { name: "supernodes not JSON", params: { supernodes: "[[oops" }, refs: {}, problems: ["supernodes"] },
    { name: "supernodes a JSON object", params: { supernodes: '{"a":["b"]}' }, refs: {}, problems: ["supernodes"] },
    { name: "supernodes a JSON string", params: { supernodes: '"x"' }, refs: {}, problems: ["supernodes"] },
    {
      name: "supernodes with bad entries (label only, numbers, not a list) keep the good ones",
      params: { supernodes: '[["label only"],["a",1],"str",null,["ok","E_2_0"]]' },
      refs: { supernodes: [["ok", "E_2_0"]] },
      problems: [],
    },
    { name: "clerps not JSON", params: { clerps: "nope" }, refs: {}, problems: ["clerps"] },
    {
      name: "clerps with bad pairs keep the good ones",
      params: { clerps: '[["E_2_0"],["E_2_0","a","b"],[1,"x"],["E_2_0","fine"]]' },
      refs: { clerps: [["E_2_0", "fine"]] },
      problems: [],
    },
    {
      name: "pruningThreshold not a number",
      params: { pruningThreshold: "abc" },
      refs: {},
      problems: ["pruningThreshold"],
    },
    { name: "pruningThreshold above 1", params: { pruningThreshold: "2" }, refs: {}, problems: ["pruningThreshold"] },
    {
      name: "pruningThreshold below 0",
      params: { pruningThreshold: "-0.1" },
      refs: {},
      problems: ["pruningThreshold"],
    },
    {
      name: "pruningThreshold Infinity",
      params: { pruningThreshold: "Infinity" },
      refs: {},
      problems: ["pruningThreshold"],
    },
    { name: "pruningThreshold NaN", params: { pruningThreshold: "NaN" }, refs: {}, problems: ["pruningThreshold"] },
    {
      name: "pinnedIds with blanks and spaces",
      params: { pinnedIds: " E_2_0 , ,1_2_3," },
      refs: { pinnedIds: ["E_2_0", "1_2_3"] },
      problems: [],
    },
    {
      name: "a repeated key: the first value",
      params: { pinnedIds: ["a", "b"], clickedId: ["c", "d"] },
      refs: { pinnedIds: ["a"], clickedId: "c" },
      problems: [],
    },
  ];

  it.each(cases)("$name", ({ params, refs, problems }) => {
    const result = viewStateFromUrl(params);
    expect(result.refs).toEqual({ ...empty, ...refs });
    expect(result.problems.map((p) => p.split(":")[0])).toEqual(problems);
  });

  // Was a bug (url-view-state, empty threshold), fixed: Number("") and Number("  ") are 0, so `?pruningThreshold=` is read
  // as threshold 0 (every feature pruned away) instead of being reported and ignored.
  it.each([[""], ["  "]])("pruningThreshold=%j is reported, not read as 0", (text) => {
    const result = viewStateFromUrl({ pruningThreshold: text });
    expect(result.refs?.pruningThreshold).toBeNull();
  });

  it("references to nodes the graph lacks are listed as unresolved, the rest applied", () => {
    const { refs } = viewStateFromUrl(
      searchParams("pinnedIds=E_4095_0,99_1_1&clickedId=nope&clerps=%5B%5B%22zz%22%2C%22x%22%5D%5D"),
    );
    const resolved = resolveViewState(loadGraph(DEMO_BEGAT), refs!);
    expect(resolved.pinned).toEqual([indexOf(loadViewerGraph(DEMO_BEGAT), "E_4095_0")]);
    expect(resolved.clicked).toBeNull();
    expect(resolved.clerps).toEqual([]);
    expect(resolved.unresolved).toEqual(["99_1_1", "zz", "nope"]);
  });

  const junk = [
    "",
    "[",
    "]",
    "[]",
    "{}",
    "null",
    "[[]]",
    "[[1,2]]",
    '[["a"]]',
    "%",
    "\u0000",
    "x".repeat(10_000),
    "0x1",
    "1e400",
    "-0",
  ];
  it.each(VIEW_STATE_KEYS.map((key) => [key]))("no junk value of %s throws, in reading or resolving", (key) => {
    for (const value of junk) {
      const result = viewStateFromUrl({ [key]: value });
      expect(result.refs).not.toBeNull();
      expect(() => resolveViewState(loadGraph(DEMO_BEGAT), result.refs!)).not.toThrow();
    }
  });
});
