import type { TranscoderSet } from "../../models/transcoder-set";
import type { ForwardCache } from "../forward-cache";
import type { TranscoderPass } from "../transcoder-pass";
import { matmul } from "./reference-math";

/** Float64 pre-activations and skip terms, [L, T, F] and [L, T, d] (see TranscoderPass). */
export function referenceTranscoderPass(set: TranscoderSet, cache: ForwardCache): TranscoderPass {
  const { n_layers: L, d_model: d, d_transcoder: F } = set;
  const T = cache.n_tokens;
  const pre = new Float64Array(L * T * F); // (L, T, F)
  const hasSkip = set.layers.some((tc) => tc.W_skip);
  const skip = hasSkip ? new Float64Array(L * T * d) : null; // (L, T, d)
  for (let l = 0; l < L; l++) {
    const tc = set.layers[l]!;
    const x = Float64Array.from(cache.x.subarray(l * T * d, (l + 1) * T * d)); // (T, d)
    const W_enc = tc.W_enc.data; // (F, d)
    for (let p = 0; p < T; p++) {
      for (let i = 0; i < F; i++) {
        let s = tc.b_enc.data[i]!;
        for (let j = 0; j < d; j++) s += W_enc[i * d + j]! * x[p * d + j]!;
        pre[(l * T + p) * F + i] = s; // x · W_encᵀ + b_enc
      }
    }
    if (skip && tc.W_skip) skip.set(matmul(x, T, tc.W_skip, null), l * T * d);
  }
  return { pre, skip };
}
