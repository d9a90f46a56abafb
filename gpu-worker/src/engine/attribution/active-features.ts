import { applyActivation } from "../../models/activation-function";
import { decoderRow, decoderSlots, type TranscoderSet } from "../../models/transcoder-set";
import type { ForwardCache } from "../forward-cache";
import type { TranscoderPass } from "../transcoder-pass";

/**
 * Phase 0 of attribution (reference §2.3): from the engine's dense transcoder pass, apply each
 * layer's activation function, zero the BOS position, keep the nonzero activations as a sparse
 * list sorted by (layer, pos, feature), and compute the error vectors against the sparse
 * reconstruction. Shape letters: L n_layers, T tokens, d d_model,
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

/** Sparse activations from the dense pre-activations [L, T, F]; positions < ZERO_POSITIONS stay off. */
export function encodeActiveFeatures(set: TranscoderSet, pass: TranscoderPass, n_tokens: number): ActiveFeatures {
  const { n_layers: L, d_transcoder: F } = set;
  const T = n_tokens;
  const layer: number[] = [],
    pos: number[] = [],
    index: number[] = [],
    activation: number[] = [];
  const a = new Float64Array(F); // (F)
  for (let l = 0; l < L; l++) {
    for (let p = ZERO_POSITIONS; p < T; p++) {
      a.set(pass.pre.subarray((l * T + p) * F, (l * T + p + 1) * F));
      applyActivation(set.layers[l]!.activation, a);
      for (let i = 0; i < F; i++) {
        if (a[i] !== 0) (layer.push(l), pos.push(p), index.push(i), activation.push(a[i]!));
      }
    }
  }
  return {
    layer: Int32Array.from(layer),
    pos: Int32Array.from(pos),
    index: Int32Array.from(index),
    activation: Float32Array.from(activation),
  };
}

/**
 * error[l, p] = y_l[p] − ŷ_l[p], with ŷ the full reconstruction (decoded active features, b_dec,
 * skip; for CLTs summed over every source layer ≤ l), and error[:, 0] = 0 (reference §1.6).
 * Returns [L, T, d].
 */
export function computeErrorVectors(
  set: TranscoderSet,
  cache: ForwardCache,
  pass: TranscoderPass,
  active: ActiveFeatures,
): Float32Array {
  const { n_layers: L, d_model: d } = set;
  const T = cache.n_tokens;
  const recon = new Float64Array(L * T * d); // (L, T, d)
  for (let l = 0; l < L; l++) {
    const tc = set.layers[l]!;
    for (let p = 0; p < T; p++) {
      const at = (l * T + p) * d;
      for (let j = 0; j < d; j++) recon[at + j] = tc.b_dec.data[j]! + (pass.skip ? pass.skip[at + j]! : 0); // b_dec + x @ W_skip
    }
  }
  for (let f = 0; f < active.layer.length; f++) {
    const l = active.layer[f]!,
      p = active.pos[f]!,
      a = active.activation[f]!;
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
