import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildViewerGraph } from "~/app/(viewer)/_components/build-viewer-graph";
import type { TViewerGraph } from "~/app/(viewer)/_components/viewer-graph";
import { parseGraph, type TGraph } from "@circuitboard/shared/graph-format";

// The real graph files (read-only; see /work/shared/fixtures/graphs/README.md), parsed once per test file.
export const FIXTURES_DIR = "/work/shared/fixtures/graphs";

export interface TViewerFixture {
  readonly name: string;
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
  name: "meow",
  file: "gemma-2-2b-clt-hp__meow-clt.json",
  nodes: 76,
  links: 374,
  nLayers: 26,
  tokens: 11,
  nodeThreshold: 0.5,
};
export const SMALL_BIG: TViewerFixture = {
  name: "small-big-en",
  file: "gemma-2-2b-plt-np-featured__gemma-small-big-en_2025-11-13T10-16-02-770Z.json",
  nodes: 694,
  links: 23559,
  nLayers: 26,
  tokens: 9,
  nodeThreshold: 0.7,
};
export const PUPPY: TViewerFixture = {
  name: "puppy",
  file: "llama-3.2-1b-clt__puppy-clt.json",
  nodes: 472,
  links: 28310,
  nLayers: 16,
  tokens: 13,
  nodeThreshold: 0.8,
};
export const FIXTURES: readonly TViewerFixture[] = [MEOW, SMALL_BIG, PUPPY];

const parsed = new Map<string, TGraph>();
const built = new Map<string, TViewerGraph>();

export function loadGraph(fixture: TViewerFixture): TGraph {
  let graph = parsed.get(fixture.file);
  if (!graph) {
    graph = parseGraph(readFileSync(join(FIXTURES_DIR, fixture.file)));
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
