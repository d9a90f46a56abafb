/**
 * Graph files for the integration suite: the carried ones (test/fixtures), and the real third-party ones when the
 * interop fixtures are present (test/fixtures/index.ts explains where they come from).
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { CARRIED, carriedPath, INTEROP_GRAPHS_DIR, readCarried } from "../../fixtures";

export { CARRIED, carriedPath, readCarried };

/** Any small valid graph (the demo worker's, 73 nodes) for tests that need a graph, not a particular one. */
export const SMALL_GRAPH = readCarried(CARRIED.demoGenesis);

/** Every graph file at hand: each carried one, then each real one when present. */
export function allGraphFiles(): { name: string; path: string }[] {
  const carried = Object.values(CARRIED).map((name) => ({ name, path: carriedPath(name) }));
  const real = INTEROP_GRAPHS_DIR
    ? readdirSync(INTEROP_GRAPHS_DIR)
        .filter((f) => f.endsWith(".json"))
        .map((name) => ({ name: `interop: ${name}`, path: join(INTEROP_GRAPHS_DIR!, name) }))
    : [];
  return [...carried, ...real];
}
