import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseModelConfig, type ModelConfig } from "./model-config";
import type { LayerWeights, ModelWeights, NormWeights } from "./model-weights";
import { TensorStore } from "./tensor-store";
import { transpose2d, type Tensor } from "./tensor";

/**
 * Loads a Hugging Face checkpoint directory (config.json + safetensors, sharded or not) into
 * ModelWeights. Every expected tensor is checked by name and shape; a missing or mis-shaped
 * tensor is an error naming the file, the tensor, and both shapes (see TensorStore.take).
 */
export function loadModelWeights(dir: string): ModelWeights {
  const configPath = join(dir, "config.json");
  const config = parseModelConfig(JSON.parse(readFileSync(configPath, "utf8")) as Record<string, unknown>);
  const store = new TensorStore(dir);
  try {
    return config.architecture === "gpt2" ? loadGpt2(store, config) : loadLlamaLike(store, config);
  } finally {
    store.close();
  }
}

/**
 * GPT-2 checkpoints use Conv1D (`x @ W + b`, W [in, out]), so no transpose is needed; c_attn packs
 * q, k, v along its output dimension in that order. Names appear with or without "transformer.".
 */
function loadGpt2(store: TensorStore, c: ModelConfig): ModelWeights {
  const p = store.has("wte.weight") ? "" : "transformer.";
  const { d_model: d, d_vocab: V, n_ctx: C, d_mlp: m, n_layers: L } = c;
  const norm = (name: string): NormWeights => ({
    w: store.take(`${p}${name}.weight`, [d]),
    b: store.take(`${p}${name}.bias`, [d]),
  });
  const W_E = store.take(`${p}wte.weight`, [V, d]);
  const layers: LayerWeights[] = [];
  for (let l = 0; l < L; l++) {
    const h = `h.${l}`;
    const c_attn = store.take(`${p}${h}.attn.c_attn.weight`, [d, 3 * d]); // [d, 3d]
    const c_attn_b = store.take(`${p}${h}.attn.c_attn.bias`, [3 * d]); // [3d]
    layers.push({
      ln1: norm(`${h}.ln_1`),
      W_Q: columns(c_attn, 0, d),
      W_K: columns(c_attn, d, 2 * d),
      W_V: columns(c_attn, 2 * d, 3 * d),
      b_Q: { shape: [d], data: c_attn_b.data.slice(0, d) },
      b_K: { shape: [d], data: c_attn_b.data.slice(d, 2 * d) },
      b_V: { shape: [d], data: c_attn_b.data.slice(2 * d, 3 * d) },
      q_norm: null,
      k_norm: null,
      W_O: store.take(`${p}${h}.attn.c_proj.weight`, [d, d]),
      b_O: store.take(`${p}${h}.attn.c_proj.bias`, [d]),
      ln1_post: null,
      ln2: norm(`${h}.ln_2`),
      ln2_post: null,
      W_in: store.take(`${p}${h}.mlp.c_fc.weight`, [d, m]),
      b_in: store.take(`${p}${h}.mlp.c_fc.bias`, [m]),
      W_gate: null,
      b_gate: null,
      W_out: store.take(`${p}${h}.mlp.c_proj.weight`, [m, d]),
      b_out: store.take(`${p}${h}.mlp.c_proj.bias`, [d]),
    });
  }
  return {
    config: c,
    W_E,
    W_pos: store.take(`${p}wpe.weight`, [C, d]),
    layers,
    ln_f: norm("ln_f"),
    W_U: transpose2d(W_E), // tied: lm_head = wte^T
    b_U: null,
  };
}

/**
 * Llama / Qwen3 / Gemma-2: nn.Linear weights are [out, in] and are transposed into x @ W layout.
 * Gemma-2 names its norms differently (its post_attention_layernorm is the attention *post*-norm,
 * not Llama's pre-MLP norm) and stores RMSNorm weights as w in y = x̂ · (1 + w).
 */
function loadLlamaLike(store: TensorStore, c: ModelConfig): ModelWeights {
  const { d_model: d, d_vocab: V, d_mlp: m, n_layers: L, n_heads: H, n_kv_heads: Hkv, d_head: dh } = c;
  const linear = (name: string, out: number, inp: number): Tensor =>
    transpose2d(store.take(`${name}.weight`, [out, inp]));
  const bias = (name: string, n: number, present: boolean): Tensor | null =>
    present ? store.take(`${name}.bias`, [n]) : null;
  const isGemma = c.architecture === "gemma2";
  const rms = (name: string, n: number): NormWeights => {
    const w = store.take(`${name}.weight`, [n]);
    if (isGemma) for (let i = 0; i < n; i++) w.data[i] = 1 + w.data[i]!; // fold Gemma's (1 + w), computed in float32 as HF does
    return { w, b: null };
  };
  const layers: LayerWeights[] = [];
  for (let l = 0; l < L; l++) {
    const h = `model.layers.${l}`;
    layers.push({
      ln1: rms(`${h}.input_layernorm`, d),
      ln1_post: isGemma ? rms(`${h}.post_attention_layernorm`, d) : null,
      ln2: rms(`${h}.${isGemma ? "pre_feedforward_layernorm" : "post_attention_layernorm"}`, d),
      ln2_post: isGemma ? rms(`${h}.post_feedforward_layernorm`, d) : null,
      W_Q: linear(`${h}.self_attn.q_proj`, H * dh, d),
      W_K: linear(`${h}.self_attn.k_proj`, Hkv * dh, d),
      W_V: linear(`${h}.self_attn.v_proj`, Hkv * dh, d),
      b_Q: bias(`${h}.self_attn.q_proj`, H * dh, c.attn_bias),
      b_K: bias(`${h}.self_attn.k_proj`, Hkv * dh, c.attn_bias),
      b_V: bias(`${h}.self_attn.v_proj`, Hkv * dh, c.attn_bias),
      q_norm: c.has_qk_norm ? rms(`${h}.self_attn.q_norm`, dh) : null,
      k_norm: c.has_qk_norm ? rms(`${h}.self_attn.k_norm`, dh) : null,
      W_O: linear(`${h}.self_attn.o_proj`, d, H * dh),
      b_O: bias(`${h}.self_attn.o_proj`, d, c.attn_out_bias),
      W_in: linear(`${h}.mlp.up_proj`, m, d),
      b_in: bias(`${h}.mlp.up_proj`, m, c.mlp_bias),
      W_gate: linear(`${h}.mlp.gate_proj`, m, d),
      b_gate: bias(`${h}.mlp.gate_proj`, m, c.mlp_bias),
      W_out: linear(`${h}.mlp.down_proj`, d, m),
      b_out: bias(`${h}.mlp.down_proj`, d, c.mlp_bias),
    });
  }
  const W_E = store.take("model.embed_tokens.weight", [V, d]);
  // Tied checkpoints usually omit lm_head.weight; some still store a copy, which we then trust.
  const W_U = !c.tie_word_embeddings || store.has("lm_head.weight") ? linear("lm_head", V, d) : transpose2d(W_E);
  return { config: c, W_E, W_pos: null, layers, ln_f: rms("model.norm", d), W_U, b_U: null };
}

/** Columns [from, to) of a 2-D tensor [r, c] -> [r, to - from]. */
function columns(t: Tensor, from: number, to: number): Tensor {
  const [r, c] = t.shape as [number, number];
  const w = to - from;
  const out = new Float32Array(r * w);
  for (let i = 0; i < r; i++) out.set(t.data.subarray(i * c + from, i * c + to), i * w);
  return { shape: [r, w], data: out };
}
