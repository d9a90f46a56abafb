import { seededRandom } from "~/gpu-worker/src/util/seeded-random";

/** The tests' PRNG: the worker's own seeded generator, so every generated test model is reproducible. */
export const makeRandom = seededRandom;

/** Uniform U(lo, hi) tensor data. */
export function uniform(rand: () => number, n: number, lo = -1, hi = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * rand();
  return out;
}
