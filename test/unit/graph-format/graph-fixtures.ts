import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CARRIED, CARRIED_GRAPHS_DIR, INTEROP_GRAPHS_DIR, INTEROP_SCHEMAS_DIR } from "../../fixtures";

// The graph files these tests read: the carried ones always (test/fixtures), the real third-party ones when the
// interop fixtures are present (test/fixtures/index.ts). Counts are what the files hold (for the real ones, what
// their README says).
export const NEURONPEDIA_SCHEMA_PATH: string | null =
  INTEROP_SCHEMAS_DIR && join(INTEROP_SCHEMAS_DIR, "neuronpedia__graph-schema.json");

export interface TFixture {
  readonly name: string;
  readonly dir: string;
  readonly file: string;
  readonly nodes: number;
  readonly links: number;
  readonly pinnedIds: number;
  readonly supernodes: number;
  readonly featureEncoding: string;
  /** Model depth: Gemma-2-2B has 26 layers, Llama-3.2-1B 16, the demo model 4. */
  readonly nLayers: number;
}

const carried = (f: Omit<TFixture, "dir">): TFixture => ({ ...f, dir: CARRIED_GRAPHS_DIR });

export const CARRIED_FIXTURES: readonly TFixture[] = [
  carried({
    name: "demo-begat (the demo worker's own graph)",
    file: CARRIED.demoBegat,
    nodes: 94,
    links: 1895,
    pinnedIds: 0,
    supernodes: 0,
    featureEncoding: "cantor",
    nLayers: 4,
  }),
  carried({
    name: "synthetic circuit-tracer 0.2 (Cantor, current error ids, supernodes)",
    file: CARRIED.circuitTracer,
    nodes: 24,
    links: 13,
    pinnedIds: 6,
    supernodes: 2,
    featureEncoding: "cantor",
    nLayers: 3,
  }),
  carried({
    name: "synthetic Neuronpedia featured (layer*100000+index, legacy error ids, jsNodeId pins, no schema_version)",
    file: CARRIED.neuronpediaFeatured,
    nodes: 24,
    links: 13,
    pinnedIds: 6,
    supernodes: 2,
    featureEncoding: "layer-stride",
    nLayers: 3,
  }),
  carried({
    name: "synthetic Anthropic style (index features, integer layers, duplicate node ids)",
    file: CARRIED.anthropicStyle,
    nodes: 26,
    links: 13,
    pinnedIds: 6,
    supernodes: 0,
    featureEncoding: "index",
    nLayers: 3,
  }),
];

const real = (f: Omit<TFixture, "dir">): TFixture | null =>
  INTEROP_GRAPHS_DIR ? { ...f, dir: INTEROP_GRAPHS_DIR } : null;

/** Real third-party files (interop suite): null without the interop fixtures. */
export const MEOW = real({
  name: "meow (circuit-tracer 0.2, Cantor features)",
  file: "gemma-2-2b-clt-hp__meow-clt.json",
  nodes: 76,
  links: 374,
  pinnedIds: 0,
  supernodes: 0,
  featureEncoding: "cantor",
  nLayers: 26,
});
export const SMALL_BIG = real({
  name: "small-big-en (Neuronpedia featured, layer*100000+index, saved subgraph)",
  file: "gemma-2-2b-plt-np-featured__gemma-small-big-en_2025-11-13T10-16-02-770Z.json",
  nodes: 694,
  links: 23559,
  pinnedIds: 17,
  supernodes: 5,
  featureEncoding: "layer-stride",
  nLayers: 26,
});
export const PUPPY = real({
  name: "puppy (Llama CLT, indented JSON)",
  file: "llama-3.2-1b-clt__puppy-clt.json",
  nodes: 472,
  links: 28310,
  pinnedIds: 0,
  supernodes: 0,
  featureEncoding: "cantor",
  nLayers: 16,
});

export const REAL_FIXTURES: readonly TFixture[] = [MEOW, SMALL_BIG, PUPPY].filter((f): f is TFixture => f !== null);

/** Every fixture at hand: the carried ones, then the real ones when present. */
export const FIXTURES: readonly TFixture[] = [...CARRIED_FIXTURES, ...REAL_FIXTURES];

export function fixturePath(fixture: TFixture): string {
  return join(fixture.dir, fixture.file);
}

export function readFixture(fixture: TFixture): Buffer {
  return readFileSync(fixturePath(fixture));
}

export function readFixtureJson(fixture: TFixture): Record<string, unknown> {
  return JSON.parse(readFixture(fixture).toString("utf8")) as Record<string, unknown>;
}
