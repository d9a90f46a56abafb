import { readFileSync } from "node:fs";
import { join } from "node:path";

// The real graph files (read-only, never edited) and what their README says about them.
export const FIXTURES_DIR = "/work/shared/fixtures/graphs";
export const NEURONPEDIA_SCHEMA_PATH = "/work/shared/fixtures/schemas/neuronpedia__graph-schema.json";

export interface TFixture {
  readonly name: string;
  readonly file: string;
  readonly nodes: number;
  readonly links: number;
  readonly pinnedIds: number;
  readonly supernodes: number;
  readonly featureEncoding: string;
  /** Model depth: Gemma-2-2B has 26 layers, Llama-3.2-1B 16. */
  readonly nLayers: number;
}

export const FIXTURES: readonly TFixture[] = [
  {
    name: "meow (circuit-tracer 0.2, Cantor features)",
    file: "gemma-2-2b-clt-hp__meow-clt.json",
    nodes: 76,
    links: 374,
    pinnedIds: 0,
    supernodes: 0,
    featureEncoding: "cantor",
    nLayers: 26,
  },
  {
    name: "small-big-en (Neuronpedia featured, layer*100000+index, saved subgraph)",
    file: "gemma-2-2b-plt-np-featured__gemma-small-big-en_2025-11-13T10-16-02-770Z.json",
    nodes: 694,
    links: 23559,
    pinnedIds: 17,
    supernodes: 5,
    featureEncoding: "layer-stride",
    nLayers: 26,
  },
  {
    name: "puppy (Llama CLT, indented JSON)",
    file: "llama-3.2-1b-clt__puppy-clt.json",
    nodes: 472,
    links: 28310,
    pinnedIds: 0,
    supernodes: 0,
    featureEncoding: "cantor",
    nLayers: 16,
  },
];

export function readFixture(fixture: TFixture): Buffer {
  return readFileSync(join(FIXTURES_DIR, fixture.file));
}

export function readFixtureJson(fixture: TFixture): Record<string, unknown> {
  return JSON.parse(readFixture(fixture).toString("utf8")) as Record<string, unknown>;
}
