import { applyActivation } from "../../models/activation-function";
import { decoderRow, decoderSlots, type TranscoderSet } from "../../models/transcoder-set";
import type { ForwardCache } from "../forward-cache";

/**
 * Phase 0 of attribution (reference §2.3): encode every layer, zero the BOS position, keep the
 * nonzero activations as a sparse list sorted by (layer, pos, feature), and compute the error
 * vectors against the sparse reconstruction. Shape letters: L n_layers, T tokens, d d_model,
 * F d_transcoder, n n_act active features.
 */
export interface ActiveFeatures {
  layer: Int32Array; // [n]
  pos: Int32Array; // [n]
  index: Int32Array; // [n] feature index within its layer
  activation: Float32Array; // [n]
}

/** Positions whose features and errors are zeroed: the BOS position (reference §1.8). */
export const ZERO_POSITIONS = 1;

export function encodeActiveFeatures(set: TranscoderSet, cache: ForwardCache): ActiveFeatures {
  const { n_layers: L, d_model: d, d_transcoder: F } = set;
  const T = cache.n_tokens;
  const layer: number[] = [], pos: number[] = [], index: number[] = [], activation: number[] = [];
  const pre = new Float64Array(F); // (F)
  for (let l = 0; l < L; l++) {
    const tc = set.layers[l]!;
    for (let p = ZERO_POSITIONS; p < T; p++) {
      const x = cache.x.subarray((l * T + p) * d, (l * T + p + 1) * d); // (d)
      for (let i = 0; i < F; i++) {
        let s = tc.b_enc.data[i]!;
        const row = i * d;
        for (let j = 0; j < d; j++) s += tc.W_enc.data[row + j]! * x[j]!;
        pre[i] = s; // x · W_encᵀ + b_enc
      }
      applyActivation(tc.activation, pre);
      for (let i = 0; i < F; i++) {
        if (pre[i] !== 0) layer.push(l), pos.push(p), index.push(i), activation.push(pre[i]!);
      }
    }
  }
  return { layer: Int32Array.from(layer), pos: Int32Array.from(pos), index: Int32Array.from(index), activation: Float32Array.from(activation) };
}

/**
 * error[l, p] = y_l[p] − ŷ_l[p], with ŷ the full reconstruction (decoded active features, b_dec,
 * skip; for CLTs summed over every source layer ≤ l), and error[:, 0] = 0 (reference §1.6).
 * Returns [L, T, d].
 */
export function computeErrorVectors(set: TranscoderSet, cache: ForwardCache, active: ActiveFeatures): Float32Array {
  const { n_layers: L, d_model: d } = set;
  const T = cache.n_tokens;
  const recon = new Float64Array(L * T * d); // (L, T, d)
  for (let l = 0; l < L; l++) {
    const tc = set.layers[l]!;
    for (let p = 0; p < T; p++) {
      const at = (l * T + p) * d;
      for (let j = 0; j < d; j++) recon[at + j] = tc.b_dec.data[j]!;
      if (tc.W_skip) {
        for (let k = 0; k < d; k++) {
          const xk = cache.x[at + k]!;
          for (let j = 0; j < d; j++) recon[at + j]! += xk * tc.W_skip.data[k * d + j]!; // x @ W_skip
        }
      }
    }
  }
  for (let f = 0; f < active.layer.length; f++) {
    const l = active.layer[f]!, p = active.pos[f]!, a = active.activation[f]!;
    for (let slot = 0; slot < decoderSlots(set, l); slot++) {
      const row = decoderRow(set, l, active.index[f]!, slot);
      const at = ((l + slot) * T + p) * d;
      for (let j = 0; j < d; j++) recon[at + j]! += a * row[j]!;
    }
  }
  const errors = new Float32Array(L * T * d); // (L, T, d)
  for (let l = 0; l < L; l++) {
    for (let p = ZERO_POSITIONS; p < T; p++) {
      const at = (l * T + p) * d;
      for (let j = 0; j < d; j++) errors[at + j] = cache.mlp_out[at + j]! - recon[at + j]!;
    }
  }
  return errors;
}
