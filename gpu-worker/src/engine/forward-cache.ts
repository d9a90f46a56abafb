/**
 * What one clean forward pass leaves behind for attribution (reference §2.3, §2.12).
 * Shape letters: L n_layers, T tokens, d d_model, H n_heads, V vocab.
 * Arrays are Float64Array from the reference engine and Float32Array from ONNX Runtime.
 */
export type FloatArray = Float32Array | Float64Array;

export interface ForwardCache {
  n_tokens: number; // T
  embed: FloatArray; // [T, d]     value at hook_embed (W_E[token]); positions are added after it
  x: FloatArray; // [L, T, d]      transcoder inputs (feature_input_hook)
  mlp_out: FloatArray; // [L, T, d]  values at the transcoders' output hook (feature_output_hook)
  patterns: FloatArray; // [L, H, T, T]  attention patterns, frozen in the linearised model
  ln1_scale: FloatArray; // [L, T]   pre-attention norm denominators
  ln2_scale: FloatArray; // [L, T]   pre-MLP norm denominators
  ln1_post_scale: FloatArray; // [L, T] Gemma-2 attention post-norm denominators ([0] otherwise)
  ln2_post_scale: FloatArray; // [L, T] Gemma-2 MLP post-norm denominators ([0] otherwise)
  lnf_scale: FloatArray; // [T]      final norm denominators
  logits: FloatArray; // [V]         logits at the last position (soft-capped where the model does)
}
