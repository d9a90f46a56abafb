import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseModelConfig, type ModelConfig } from "./model-config";
import type { LayerWeights, ModelWeights, NormWeights } from "./model-weights";
import { TensorStore } from "./tensor-store";
import { lazyTensor, transposeValues, type Tensor } from "./tensor";

/**
 * Loads a Hugging Face checkpoint directory (config.json + safetensors, sharded or not) into
 * ModelWeights. Every expected tensor is checked by name and shape; a missing or mis-shaped
 * tensor is an error naming the file, the tensor, and both shapes (see TensorStore.take).
 *
 * lazy: every matrix stays in the checkpoint until it is used (shapes are checked now): the ONNX
 * builders stream them one by one into their sessions, so no JS float32 copy of the model coexists
 * with onnxruntime's (the memory plan of a real-size model), and the unembedding's rows are read from
 * the file when logit targets need them. Small vectors (norms, biases) are read at once either way.
 */
export function loadModelWeights(dir: string, options: { lazy?: boolean } = {}): ModelWeights {
  const configPath = join(dir, "config.json");
  const config = parseModelConfig(JSON.parse(readFileSync(configPath, "utf8")) as Record<string, unknown>);
  const store = new TensorStore(dir);
  const lazy = options.lazy ?? false;
  try {
    const read = new WeightReader(store, lazy);
    return config.architecture === "gpt2" ? loadGpt2(read, config) : loadLlamaLike(read, config);
  } finally {
    if (!lazy) store.close(); // a lazy model keeps the store's file handles for its reads
  }
}

/** How the architecture loaders get tensors: checked now, read now or on demand. */
class WeightReader {
  constructor(
    readonly store: TensorStore,
    readonly lazy: boolean,
  ) {}

  has(name: string): boolean {
    return this.store.has(name);
  }

  /** A vector or small tensor: always read now. */
  small(name: string, shape: number[]): Tensor {
    return this.store.take(name, shape);
  }

  /** A matrix as stored, with `transform` applied to its values (a transpose, a column slice). */
  matrix(name: string, stored: number[], shape: number[], transform: (v: Float32Array) => Float32Array): Tensor {
    this.store.check(name, stored);
    const read = () => transform(this.store.take(name, stored).data);
    return this.lazy ? lazyTensor(shape, read) : { shape, data: read() };
  }

  /** nn.Linear [out, in] in x @ W layout [in, out]. */
  linear(name: string, out: number, inp: number): Tensor {
    return this.matrix(`${name}.weight`, [out, inp], [inp, out], (v) => transposeValues(v, out, inp));
  }

  /** The unembedding from a [V, d] tensor (lm_head, or the tied embedding): W_U [d, V] + row access. */
  unembedding(name: string, V: number, d: number): Pick<ModelWeights, "W_U" | "unembedding"> {
    const W_U = this.matrix(name, [V, d], [d, V], (v) => transposeValues(v, V, d));
    if (!this.lazy) return { W_U };
    const store = this.store;
    let mean: Float64Array | null = null;
    return {
      W_U,
      unembedding: {
        column: (t) => store.readRows(name, t, 1),
        mean() {
          if (mean) return mean;
          // mean_v W_U[:, v], summed over v in order as unembeddingMean does, in chunks of rows.
          const sums = new Float64Array(d);
          const CHUNK = 4096;
          for (let v0 = 0; v0 < V; v0 += CHUNK) {
            const n = Math.min(CHUNK, V - v0);
            const rows = store.readRows(name, v0, n);
            for (let v = 0; v < n; v++) for (let j = 0; j < d; j++) sums[j]! += rows[v * d + j]!;
          }
          for (let j = 0; j < d; j++) sums[j]! /= V;
          return (mean = sums);
        },
      },
    };
  }
}

/**
 * GPT-2 checkpoints use Conv1D (`x @ W + b`, W [in, out]), so no transpose is needed; c_attn packs
 * q, k, v along its output dimension in that order. Names appear with or without "transformer.".
 */
function loadGpt2(store: WeightReader, c: ModelConfig): ModelWeights {
  const p = store.has("wte.weight") ? "" : "transformer.";
  const { d_model: d, d_vocab: V, n_ctx: C, d_mlp: m, n_layers: L } = c;
  const norm = (name: string): NormWeights => ({
    w: store.small(`${p}${name}.weight`, [d]),
    b: store.small(`${p}${name}.bias`, [d]),
  });
  const same = (v: Float32Array) => v;
  const W_E = store.matrix(`${p}wte.weight`, [V, d], [V, d], same);
  const layers: LayerWeights[] = [];
  for (let l = 0; l < L; l++) {
    const h = `h.${l}`;
    const c_attn = (from: number) =>
      store.matrix(`${p}${h}.attn.c_attn.weight`, [d, 3 * d], [d, d], (v) => columns(v, d, 3 * d, from, from + d));
    const c_attn_b = store.small(`${p}${h}.attn.c_attn.bias`, [3 * d]); // [3d]
    layers.push({
      ln1: norm(`${h}.ln_1`),
      W_Q: c_attn(0),
      W_K: c_attn(d),
      W_V: c_attn(2 * d),
      b_Q: { shape: [d], data: c_attn_b.data.slice(0, d) },
      b_K: { shape: [d], data: c_attn_b.data.slice(d, 2 * d) },
      b_V: { shape: [d], data: c_attn_b.data.slice(2 * d, 3 * d) },
      q_norm: null,
      k_norm: null,
      W_O: store.matrix(`${p}${h}.attn.c_proj.weight`, [d, d], [d, d], same),
      b_O: store.small(`${p}${h}.attn.c_proj.bias`, [d]),
      ln1_post: null,
      ln2: norm(`${h}.ln_2`),
      ln2_post: null,
      W_in: store.matrix(`${p}${h}.mlp.c_fc.weight`, [d, m], [d, m], same),
      b_in: store.small(`${p}${h}.mlp.c_fc.bias`, [m]),
      W_gate: null,
      b_gate: null,
      W_out: store.matrix(`${p}${h}.mlp.c_proj.weight`, [m, d], [m, d], same),
      b_out: store.small(`${p}${h}.mlp.c_proj.bias`, [d]),
    });
  }
  return {
    config: c,
    W_E,
    W_pos: store.matrix(`${p}wpe.weight`, [C, d], [C, d], same),
    layers,
    ln_f: norm("ln_f"),
    ...store.unembedding(`${p}wte.weight`, V, d), // tied: lm_head = wte^T
    b_U: null,
  };
}

/**
 * Llama / Qwen3 / Gemma-2: nn.Linear weights are [out, in] and are transposed into x @ W layout.
 * Gemma-2 names its norms differently (its post_attention_layernorm is the attention *post*-norm,
 * not Llama's pre-MLP norm) and stores RMSNorm weights as w in y = x̂ · (1 + w).
 */
function loadLlamaLike(store: WeightReader, c: ModelConfig): ModelWeights {
  const { d_model: d, d_vocab: V, d_mlp: m, n_layers: L, n_heads: H, n_kv_heads: Hkv, d_head: dh } = c;
  const linear = (name: string, out: number, inp: number): Tensor => store.linear(name, out, inp);
  const bias = (name: string, n: number, present: boolean): Tensor | null =>
    present ? store.small(`${name}.bias`, [n]) : null;
  const isGemma = c.architecture === "gemma2";
  const rms = (name: string, n: number): NormWeights => {
    const w = store.small(`${name}.weight`, [n]);
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
  const W_E = store.matrix("model.embed_tokens.weight", [V, d], [V, d], (v) => v);
  // Tied checkpoints usually omit lm_head.weight; some still store a copy, which we then trust.
  const unembedding = store.unembedding(
    !c.tie_word_embeddings || store.has("lm_head.weight") ? "lm_head.weight" : "model.embed_tokens.weight",
    V,
    d,
  );
  return { config: c, W_E, W_pos: null, layers, ln_f: rms("model.norm", d), ...unembedding, b_U: null };
}

/** Columns [from, to) of row-major values [r, c] -> [r, to - from]. */
function columns(v: Float32Array, r: number, c: number, from: number, to: number): Float32Array {
  const w = to - from;
  const out = new Float32Array(r * w);
  for (let i = 0; i < r; i++) out.set(v.subarray(i * c + from, i * c + to), i * w);
  return out;
}
