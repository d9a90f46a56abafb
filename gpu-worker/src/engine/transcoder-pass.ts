import type { FloatArray } from "./forward-cache";

/**
 * The dense part of phase 0 (reference §2.3 steps 2 and 4), which engines run on their own
 * hardware: every transcoder's pre-activations and skip term at every position.
 * Shape letters: L n_layers, T tokens, F d_transcoder, d d_model.
 */
export interface TranscoderPass {
  pre: FloatArray; // [L, T, F]   x_l · W_encᵀ + b_enc
  skip: FloatArray | null; // [L, T, d]   x_l @ W_skip (null when the set has no skip)
}
