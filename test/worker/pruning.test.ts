import { describe, expect, it } from "vitest";
import { findThreshold } from "~/gpu-worker/src/engine/attribution/find-threshold";
import {
  edgeScores,
  influenceByWaves,
  influenceFromRows,
  nodeInfluence,
  rowScales,
  type StoredRows,
} from "~/gpu-worker/src/engine/attribution/node-influence";
import { cantorPair, cantorUnpair } from "@circuitboard/shared/graph-format";
import { expectClose } from "./helpers/check-close";
import { makeRandom } from "./helpers/random";

/** Dense A[target][source] → the stored-rows form (only rows with an input). */
function storedRows(N: number, edges: [number, number, number][]): StoredRows {
  const targets = [...new Set(edges.map(([, t]) => t))].sort((a, b) => a - b);
  const rows = new Float32Array(targets.length * N);
  for (const [s, t, wgt] of edges) rows[targets.indexOf(t) * N + s] = wgt;
  return { N, rowNode: Int32Array.from(targets), rows };
}

describe("influence and pruning math (reference §8.3, exact rationals)", () => {
  // 12 nodes; node 11 is the only logit (weight 1); every edge has weight 10.
  const edges: [number, number, number][] = [
    ...[1, 3, 6, 8].map((s): [number, number, number] => [s, 11, 10]),
    ...[0, 1, 6].map((s): [number, number, number] => [s, 3, 10]),
    [9, 1, 10],
    [10, 1, 10],
    [9, 0, 10],
  ];
  const w = new Float64Array(12);
  w[11] = 1;

  it("node influence is [1/12, 1/3, 0, 1/4, 0, 0, 1/3, 0, 1/4, 1/4, 1/6, 0]", () => {
    expectClose(
      "influence",
      nodeInfluence(storedRows(12, edges), w),
      [1 / 12, 1 / 3, 0, 1 / 4, 0, 0, 1 / 3, 0, 1 / 4, 1 / 4, 1 / 6, 0],
      1e-7,
      1e-6,
    );
  });

  it("after deleting 9→0 and 0→3, edge scores are 1/4 into 11, 1/8 into 3, 3/16 into 1, else 0", () => {
    const kept = edges.filter(([s, t]) => !(s === 9 && t === 0) && !(s === 0 && t === 3));
    const adj = storedRows(12, kept);
    const scores = edgeScores(adj, w);
    const expected = new Map<string, number>([
      ["1>11", 1 / 4],
      ["3>11", 1 / 4],
      ["6>11", 1 / 4],
      ["8>11", 1 / 4],
      ["1>3", 1 / 8],
      ["6>3", 1 / 8],
      ["9>1", 3 / 16],
      ["10>1", 3 / 16],
    ]);
    const got: number[] = [],
      want: number[] = [];
    adj.rowNode.forEach((t, r) => {
      for (let s = 0; s < 12; s++) (got.push(scores[r * 12 + s]!), want.push(expected.get(`${s}>${t}`) ?? 0));
    });
    expectClose("edge scores", got, want, 1e-7, 1e-6);
  });
});

describe("findThreshold without sorting", () => {
  it("[5, 3, 1, 1] with τ = 0.75 gives 3 (cumulative shares 0.5, 0.8, 0.9, 1.0)", () => {
    expect(findThreshold([5, 3, 1, 1], 0.75)).toBe(3);
  });

  it("agrees with sort + cumulative share on random inputs with ties and zeros", () => {
    const rand = makeRandom(3);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(rand() * 60);
      // Values on a coarse grid so ties are common; about a third are zero.
      const values = Array.from({ length: n }, () => (rand() < 0.3 ? 0 : Math.ceil(rand() * 8) / 8));
      const tau = Math.floor(rand() * 97) / 97 + 0.004; // avoid τ exactly on a share
      const sorted = [...values].sort((a, b) => b - a);
      const total = sorted.reduce((a, b) => a + b, 0);
      if (total === 0) continue;
      let cumulative = 0;
      let expected = sorted[sorted.length - 1]!;
      for (const v of sorted) {
        cumulative += v;
        if (cumulative / total >= tau) {
          expected = v;
          break;
        }
      }
      expect(findThreshold(values, Math.min(tau, 1)), `trial ${trial}: τ ${tau} on [${values.join(", ")}]`).toBe(
        expected,
      );
    }
  });

  it("rejects a threshold outside [0, 1]", () => {
    expect(() => findThreshold([1], 1.5)).toThrow(/must lie in \[0, 1\], got 1\.5|threshold 1\.5 must lie in \[0, 1\]/);
  });
});

describe("Cantor pairing", () => {
  it("matches the reference examples: pair(0, 17) = 170, pair(1, 5) = 26", () => {
    expect(cantorPair(0, 17)).toBe(170);
    expect(cantorPair(1, 5)).toBe(26);
  });

  it("round-trips every (layer, index) on a grid and at Gemma/Llama-scale indices", () => {
    for (let layer = 0; layer < 40; layer++) {
      for (const index of [0, 1, 2, 3, 17, 255, 16383, 16384, 131071, 524287, 1 << 22]) {
        expect(cantorUnpair(cantorPair(layer, index))).toEqual({ layer, index });
      }
    }
  });
});

describe("influence: one sweep in node order = the waves of the definition", () => {
  it("on random graphs whose edges run from lower to higher node indices (rtol 1e-12)", () => {
    const rand = makeRandom(5);
    for (let trial = 0; trial < 20; trial++) {
      const N = 20 + Math.floor(rand() * 80);
      const edges: [number, number, number][] = [];
      for (let t = 1; t < N; t++) for (let s = 0; s < t; s++) if (rand() < 0.2) edges.push([s, t, rand() - 0.5]);
      const adj = storedRows(N, edges);
      const w = Float64Array.from({ length: N }, (_, i) => (i >= N - 3 ? rand() : 0));
      const scales = rowScales(adj);
      const sweep = influenceFromRows(adj, scales, w);
      const waves = influenceByWaves(adj, scales, w);
      for (let i = 0; i < N; i++)
        expect(Math.abs(sweep[i]! - waves[i]!)).toBeLessThanOrEqual(1e-12 * Math.abs(waves[i]!));
    }
  });

  it("falls back to the waves when an edge runs against the node order", () => {
    // 1 → 5 → 2 → 7 (logit): node 2's row reads node 5, which has a row of its own.
    const adj = storedRows(8, [
      [1, 5, 2],
      [5, 2, 3],
      [2, 7, 1],
      [0, 7, 1],
    ]);
    const w = new Float64Array(8);
    w[7] = 1;
    const scales = rowScales(adj);
    expectClose("fallback", influenceFromRows(adj, scales, w), influenceByWaves(adj, scales, w), 0, 0);
    expect(influenceFromRows(adj, scales, w)[1]).toBeCloseTo(0.5, 12); // 1/2 via 2, then all of 5's
  });
});
