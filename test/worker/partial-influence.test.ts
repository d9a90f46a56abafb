/** The one-sweep partial influence equals its definition (waves until convergence) on layered random graphs. */
import { describe, expect, it } from "vitest";
import { partialInfluence, partialInfluenceIterative } from "~/gpu-worker/src/engine/attribution/partial-influence";
import { RowBuffer } from "~/gpu-worker/src/engine/attribution/row-buffer";
import { makeRandom } from "./helpers/random";

function randomLayeredRows(
  seed: number,
  nFeatures: number,
  nLayers: number,
  nExtra: number,
  nLogits: number,
  density: number,
) {
  const rand = makeRandom(seed);
  const layer = Array.from({ length: nFeatures }, () => Math.floor(rand() * nLayers));
  const nCols = nFeatures + nExtra; // features, then error/token columns (sources only)
  const rows: Float32Array[] = [];
  const rowNode: number[] = [];
  // A row for a random half of the features (as mid-attribution), every logit last.
  const targets = [
    ...Array.from({ length: nFeatures }, (_, f) => f).filter(() => rand() < 0.5),
    ...Array.from({ length: nLogits }, (_, k) => nCols + k),
  ];
  for (const node of targets) {
    const row = new Float32Array(nCols);
    const targetLayer = node >= nCols ? nLayers : layer[node]!;
    for (let i = 0; i < nCols; i++) {
      const isSource = i >= nFeatures || layer[i]! < targetLayer; // edges only from lower layers
      if (isSource && rand() < density) row[i] = (rand() - 0.5) * 4;
    }
    rows.push(row);
    rowNode.push(node);
  }
  const logitWeights = Array.from({ length: nLogits }, () => rand());
  return { rows, rowNode, logitWeights, nCols, layer };
}

describe("partialInfluence", () => {
  it.each([
    [1, 40, 4, 10, 3, 0.3],
    [2, 200, 8, 40, 5, 0.1],
    [3, 60, 2, 5, 1, 0.9],
    [4, 120, 12, 0, 10, 0.05],
  ])(
    "seed %i (%i features, %i layers): one sweep = waves until convergence (rtol 1e-12)",
    (seed, nF, nL, nX, nK, density) => {
      const g = randomLayeredRows(seed, nF, nL, nX, nK, density);
      const fast = partialInfluence(RowBuffer.from(g.rows, g.rowNode, g.nCols), g.logitWeights, (f) => g.layer[f]!);
      const slow = partialInfluenceIterative(g.rows, g.rowNode, g.logitWeights, g.nCols);
      let maxRel = 0;
      for (let i = 0; i < g.nCols; i++)
        maxRel = Math.max(maxRel, Math.abs(fast[i]! - slow[i]!) / Math.max(1e-300, Math.abs(slow[i]!)));
      expect(maxRel, "max relative difference").toBeLessThan(1e-12);
      expect(slow.some((v) => v > 0)).toBe(true);
    },
  );
});
