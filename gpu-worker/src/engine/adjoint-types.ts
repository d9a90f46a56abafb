import type { FloatArray } from "./forward-cache";

/**
 * The adjoint (reverse) pass of the linearised model, reference §2.5 and §2.12.
 * Shape letters: B batch rows, L n_layers, T tokens, d d_model, n_l decoder rows writing to layer l.
 */

/** Per-prompt source vectors the adjoint contracts gradients with. */
export interface AdjointSources {
  /** Scaled decoder rows (a_j · W_dec) grouped by the layer they write to. */
  decoderRows: { pos: Int32Array /* [n_l] */; vecs: Float32Array /* [n_l, d] */ }[]; // length L
  errors: Float32Array; // [L, T, d]   error[l, p], zero at position 0
  tokenVectors: Float32Array; // [T, d]  value at hook_embed
}

/** A batch of targets: inject vecs[b] at (layer[b], pos[b]); layer L means the final-norm output. */
export interface AdjointBatch {
  layer: Int32Array; // [B]
  pos: Int32Array; // [B]
  vecs: Float32Array; // [B, d]
}

export interface AdjointResult {
  decoder: FloatArray[]; // L arrays, [B, n_l]: g_l[b, pos_r] · vec_r
  /**
   * The same values as the engine computed them, when that is cheaper to read (onnx): per layer
   * data[(p · B + b) · c + k] for positions p < t, and rowAt[p · c + k] = the decoder row r in slot k
   * of position p, or −1. computeRows scatters from here in one sequential pass.
   */
  decoderBySlot?: { data: Float32Array; t: number; c: number; rowAt: Int32Array }[];
  errors: FloatArray; // [B, L, T]
  tokens: FloatArray; // [B, T]
}

/** One prompt's adjoint runner, prepared once from the clean forward cache. */
export interface AdjointRunner {
  run(batch: AdjointBatch): Promise<AdjointResult>;
  dispose(): Promise<void>;
}
