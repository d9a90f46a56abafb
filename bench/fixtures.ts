/**
 * The graph files benchmarks read: the carried ones (test/fixtures), and the real third-party ones when the interop
 * fixtures are present (CIRCUITBOARD_FIXTURES or shared/fixtures beside the checkout; see test/fixtures/index.ts).
 */
import { join } from "node:path";
import { CARRIED, carriedPath, INTEROP_GRAPHS_DIR } from "../test/fixtures";

export const REAL_GRAPH_FILES = [
  "gemma-2-2b-clt-hp__meow-clt.json",
  "gemma-2-2b-plt-np-featured__gemma-small-big-en_2025-11-13T10-16-02-770Z.json",
  "llama-3.2-1b-clt__puppy-clt.json",
];

/** A small graph to warm up (compile) a parser on. */
export const WARM_UP_GRAPH = carriedPath(CARRIED.demoGenesis);

/** Every graph file at hand, smallest kinds first: carried demo graphs, then the real ones when present. */
export function benchGraphFiles(): string[] {
  const carried = [CARRIED.demoBegat, CARRIED.demoLong].map(carriedPath);
  const real = INTEROP_GRAPHS_DIR ? REAL_GRAPH_FILES.map((f) => join(INTEROP_GRAPHS_DIR!, f)) : [];
  return [...carried, ...real];
}

/** The largest real graph (puppy) when present, else the carried 60-token demo graph. */
export function largestGraphFile(): string {
  return INTEROP_GRAPHS_DIR
    ? join(INTEROP_GRAPHS_DIR, "llama-3.2-1b-clt__puppy-clt.json")
    : carriedPath(CARRIED.demoLong);
}
