import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildViewerGraph } from "~/app/(viewer)/_components/build-viewer-graph";
import type { TViewerGraph } from "~/app/(viewer)/_components/viewer-graph";
import { parseGraph, type TGraph } from "@circuitboard/shared/graph-format";
import { CARRIED, CARRIED_GRAPHS_DIR, HAS_INTEROP, INTEROP_GRAPHS_DIR } from "../../fixtures";

// The graph files the viewer tests read, parsed once per test file: the carried ones (test/fixtures) always, the
// real third-party ones (MEOW, SMALL_BIG, PUPPY) only when the interop fixtures are present — tests that name
// those use describeInterop / itInterop (test/fixtures/interop.ts).

export interface TViewerFixture {
  readonly name: string;
  readonly dir: string;
  readonly file: string;
  readonly nodes: number;
  readonly links: number;
  /** Model depth (logits sit at nLayers + 1). */
  readonly nLayers: number;
  readonly tokens: number;
  /** metadata.node_threshold. */
  readonly nodeThreshold: number;
}

export const MEOW: TViewerFixture = {
  dir: INTEROP_GRAPHS_DIR ?? "(interop fixtures absent)",
  name: "meow",
  file: "gemma-2-2b-clt-hp__meow-clt.json",
  nodes: 76,
  links: 374,
  nLayers: 26,
  tokens: 11,
  nodeThreshold: 0.5,
};
export const SMALL_BIG: TViewerFixture = {
  dir: INTEROP_GRAPHS_DIR ?? "(interop fixtures absent)",
  name: "small-big-en",
  file: "gemma-2-2b-plt-np-featured__gemma-small-big-en_2025-11-13T10-16-02-770Z.json",
  nodes: 694,
  links: 23559,
  nLayers: 26,
  tokens: 9,
  nodeThreshold: 0.7,
};
export const PUPPY: TViewerFixture = {
  dir: INTEROP_GRAPHS_DIR ?? "(interop fixtures absent)",
  name: "puppy",
  file: "llama-3.2-1b-clt__puppy-clt.json",
  nodes: 472,
  links: 28310,
  nLayers: 16,
  tokens: 13,
  nodeThreshold: 0.8,
};
export const DEMO_BEGAT: TViewerFixture = {
  name: "demo-begat",
  dir: CARRIED_GRAPHS_DIR,
  file: CARRIED.demoBegat,
  nodes: 94,
  links: 1895,
  nLayers: 4,
  tokens: 17,
  nodeThreshold: 0.8,
};
export const DEMO_LONG: TViewerFixture = {
  name: "demo-long (60 tokens)",
  dir: CARRIED_GRAPHS_DIR,
  file: CARRIED.demoLong,
  nodes: 492,
  links: 32276,
  nLayers: 4,
  tokens: 60,
  nodeThreshold: 0.9,
};
/** Small and sparse, with its own saved subgraph (pins by jsNodeId, 2 supernodes): not in FIXTURES. */
export const SYNTHETIC_NEURONPEDIA: TViewerFixture = {
  name: "synthetic Neuronpedia featured",
  dir: CARRIED_GRAPHS_DIR,
  file: CARRIED.neuronpediaFeatured,
  nodes: 24,
  links: 13,
  nLayers: 3,
  tokens: 4,
  nodeThreshold: 0.8,
};

/** Every fixture at hand: the carried ones, then the real ones when present. */
export const FIXTURES: readonly TViewerFixture[] = [
  DEMO_BEGAT,
  DEMO_LONG,
  ...(HAS_INTEROP ? [MEOW, SMALL_BIG, PUPPY] : []),
];

const parsed = new Map<string, TGraph>();
const built = new Map<string, TViewerGraph>();

export function loadGraph(fixture: TViewerFixture): TGraph {
  let graph = parsed.get(fixture.file);
  if (!graph) {
    graph = parseGraph(readFileSync(join(fixture.dir, fixture.file)));
    parsed.set(fixture.file, graph);
  }
  return graph;
}

/** The viewer graph with the file's own view state (shared: do not transfer its buffers). */
export function loadViewerGraph(fixture: TViewerFixture): TViewerGraph {
  let graph = built.get(fixture.file);
  if (!graph) {
    graph = buildViewerGraph(loadGraph(fixture), null);
    built.set(fixture.file, graph);
  }
  return graph;
}

/** Node index by node_id (fixtures have unique node_ids). */
export function indexOf(graph: TViewerGraph, nodeId: string): number {
  const index = graph.nodeIds.indexOf(nodeId);
  if (index < 0) throw new Error(`no node ${nodeId}`);
  return index;
}
