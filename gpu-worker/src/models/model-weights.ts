import type { ModelConfig } from "./model-config";
import type { Tensor } from "./tensor";

/**
 * Architecture-neutral weights, all in "x @ W" layout (W is [in, out], as GPT-2's Conv1D stores
 * it; Llama's nn.Linear [out, in] matrices are transposed on load). Shape letters:
 *   V vocab, d d_model, H n_heads, Hkv n_kv_heads, dh d_head, m d_mlp, C n_ctx
 */
export interface NormWeights {
  /** The effective weight: Gemma's (1 + w) is folded in by the loader. */
  w: Tensor; // [d] (or [dh] for Qwen3's q/k norms)
  b: Tensor | null; // [d]; LayerNorm only
}

export interface LayerWeights {
  ln1: NormWeights;
  W_Q: Tensor; // [d, H*dh]
  W_K: Tensor; // [d, Hkv*dh]
  W_V: Tensor; // [d, Hkv*dh]
  b_Q: Tensor | null; // [H*dh]
  b_K: Tensor | null; // [Hkv*dh]
  b_V: Tensor | null; // [Hkv*dh]
  q_norm: NormWeights | null; // Qwen3
  k_norm: NormWeights | null; // Qwen3
  W_O: Tensor; // [H*dh, d]
  b_O: Tensor | null; // [d]
  ln1_post: NormWeights | null; // Gemma-2 post_attention_layernorm
  ln2: NormWeights;
  ln2_post: NormWeights | null; // Gemma-2 post_feedforward_layernorm
  W_in: Tensor; // [d, m]   (GPT-2 c_fc; Llama up_proj)
  b_in: Tensor | null; // [m]
  W_gate: Tensor | null; // [d, m]   (Llama gate_proj: act(x W_gate) * (x W_in))
  b_gate: Tensor | null; // [m]
  W_out: Tensor; // [m, d]
  b_out: Tensor | null; // [d]
}

export interface ModelWeights {
  config: ModelConfig;
  W_E: Tensor; // [V, d]
  W_pos: Tensor | null; // [C, d]   learned positions (GPT-2)
  layers: LayerWeights[];
  ln_f: NormWeights;
  W_U: Tensor; // [d, V]
  b_U: Tensor | null; // [V]
  /**
   * Lazily loaded models: the unembedding read from its [V, d] file tensor without building W_U:
   * column(t) = W_U[:, t] ([d]); mean() = mean_v W_U[:, v] ([d], computed once, in float64).
   */
  unembedding?: { column(t: number): Float32Array; mean(): Float64Array };
}
