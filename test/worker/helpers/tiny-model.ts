import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { afterAll } from "vitest";
import { join } from "node:path";
import type { SafetensorsDtype } from "~/gpu-worker/src/models/safetensors-file";
import type { Tensor } from "~/gpu-worker/src/models/tensor";
import { writeSafetensors } from "~/gpu-worker/src/models/write-safetensors";
import { makeRandom, uniform } from "./random";

/**
 * Writes tiny random models and transcoder sets in the real file formats (config.json +
 * safetensors + tokenizer.json; config.yaml + layer_{i}.safetensors / W_enc_{l}, W_dec_{l}), into
 * a fresh directory under os.tmpdir(), so tests go through the production loaders.
 * Weights are U(−1, 1) scaled down a little so activations stay in a sane range.
 */
export type TinyArch = "gpt2" | "llama" | "qwen3" | "gemma2";

export interface TinyModelSpec {
  arch: TinyArch;
  n_layers: number;
  d_model: number;
  n_heads: number;
  n_kv_heads?: number;
  d_mlp: number;
  seed: number;
  dtype?: SafetensorsDtype;
  shards?: number;
}

/** 16-token vocabulary: <unk>=0, <bos>=1, then the letters a..n; prompts are letter strings. */
export const TINY_VOCAB = ["<unk>", "<bos>", ..."abcdefghijklmn".split("")];

const createdDirs: string[] = [];
// Evaluated once per test file (vitest isolates modules per file), so this hook belongs to that file.
afterAll(() => createdDirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A fresh directory under os.tmpdir(), removed after the test file's tests have run. */
export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `circuitboard-${prefix}-`));
  createdDirs.push(dir);
  return dir;
}

export function writeTinyModel(dir: string, spec: TinyModelSpec): void {
  mkdirSync(dir, { recursive: true });
  const rand = makeRandom(spec.seed);
  const V = TINY_VOCAB.length;
  const { d_model: d, n_layers: L, n_heads: H, d_mlp: m } = spec;
  const Hkv = spec.n_kv_heads ?? H;
  const dh = d / H;
  const t = (shape: number[], scale = 0.5): Tensor => ({
    shape,
    data: uniform(
      rand,
      shape.reduce((a, b) => a * b, 1),
      -scale,
      scale,
    ),
  });
  const normW = (n: number): Tensor => ({ shape: [n], data: uniform(rand, n, 0.8, 1.2) });
  const tensors: Record<string, Tensor> = {};
  let config: Record<string, unknown>;
  if (spec.arch === "gpt2") {
    config = {
      model_type: "gpt2",
      architectures: ["GPT2LMHeadModel"],
      n_embd: d,
      n_layer: L,
      n_head: H,
      n_positions: 32,
      vocab_size: V,
      n_inner: m,
      layer_norm_epsilon: 1e-5,
      activation_function: "gelu_new",
      bos_token_id: 1,
      eos_token_id: 1,
    };
    tensors["wte.weight"] = t([V, d]);
    tensors["wpe.weight"] = t([32, d], 0.2);
    for (let l = 0; l < L; l++) {
      const h = `h.${l}`;
      tensors[`${h}.ln_1.weight`] = normW(d);
      tensors[`${h}.ln_1.bias`] = t([d], 0.1);
      tensors[`${h}.attn.c_attn.weight`] = t([d, 3 * d]);
      tensors[`${h}.attn.c_attn.bias`] = t([3 * d], 0.1);
      tensors[`${h}.attn.c_proj.weight`] = t([d, d]);
      tensors[`${h}.attn.c_proj.bias`] = t([d], 0.1);
      tensors[`${h}.ln_2.weight`] = normW(d);
      tensors[`${h}.ln_2.bias`] = t([d], 0.1);
      tensors[`${h}.mlp.c_fc.weight`] = t([d, m]);
      tensors[`${h}.mlp.c_fc.bias`] = t([m], 0.1);
      tensors[`${h}.mlp.c_proj.weight`] = t([m, d]);
      tensors[`${h}.mlp.c_proj.bias`] = t([d], 0.1);
    }
    tensors["ln_f.weight"] = normW(d);
    tensors["ln_f.bias"] = t([d], 0.1);
  } else if (spec.arch === "gemma2") {
    // Small caps and a 3-token window so the soft-caps and the local mask actually bite at tiny sizes.
    config = {
      model_type: "gemma2",
      architectures: ["Gemma2ForCausalLM"],
      hidden_size: d,
      num_hidden_layers: L,
      num_attention_heads: H,
      num_key_value_heads: Hkv,
      head_dim: dh,
      intermediate_size: m,
      vocab_size: V,
      max_position_embeddings: 64,
      rms_norm_eps: 1e-6,
      rope_theta: 10000,
      hidden_activation: "gelu_pytorch_tanh",
      query_pre_attn_scalar: 6,
      attn_logit_softcapping: 1.5,
      final_logit_softcapping: 2.5,
      sliding_window: 3,
      bos_token_id: 1,
      eos_token_id: 1,
      pad_token_id: 0,
    };
    const gemmaNorm = (n: number): Tensor => ({ shape: [n], data: uniform(rand, n, -0.2, 0.2) }); // stored as w in x̂ · (1 + w)
    tensors["model.embed_tokens.weight"] = t([V, d], 0.3);
    for (let l = 0; l < L; l++) {
      const h = `model.layers.${l}`;
      tensors[`${h}.input_layernorm.weight`] = gemmaNorm(d);
      tensors[`${h}.self_attn.q_proj.weight`] = t([H * dh, d]);
      tensors[`${h}.self_attn.k_proj.weight`] = t([Hkv * dh, d]);
      tensors[`${h}.self_attn.v_proj.weight`] = t([Hkv * dh, d]);
      tensors[`${h}.self_attn.o_proj.weight`] = t([d, H * dh]);
      tensors[`${h}.post_attention_layernorm.weight`] = gemmaNorm(d);
      tensors[`${h}.pre_feedforward_layernorm.weight`] = gemmaNorm(d);
      tensors[`${h}.post_feedforward_layernorm.weight`] = gemmaNorm(d);
      tensors[`${h}.mlp.gate_proj.weight`] = t([m, d]);
      tensors[`${h}.mlp.up_proj.weight`] = t([m, d]);
      tensors[`${h}.mlp.down_proj.weight`] = t([d, m]);
    }
    tensors["model.norm.weight"] = gemmaNorm(d);
  } else {
    config = {
      model_type: spec.arch,
      architectures: [spec.arch === "llama" ? "LlamaForCausalLM" : "Qwen3ForCausalLM"],
      hidden_size: d,
      num_hidden_layers: L,
      num_attention_heads: H,
      num_key_value_heads: Hkv,
      head_dim: dh,
      intermediate_size: m,
      vocab_size: V,
      max_position_embeddings: 64,
      rms_norm_eps: 1e-6,
      rope_theta: 10000,
      hidden_act: "silu",
      tie_word_embeddings: spec.arch === "qwen3",
      bos_token_id: 1,
      eos_token_id: 1,
      ...(spec.arch === "llama"
        ? {
            rope_scaling: {
              rope_type: "llama3",
              factor: 8,
              low_freq_factor: 1,
              high_freq_factor: 4,
              original_max_position_embeddings: 16,
            },
          }
        : {}),
    };
    tensors["model.embed_tokens.weight"] = t([V, d]);
    for (let l = 0; l < L; l++) {
      const h = `model.layers.${l}`;
      tensors[`${h}.input_layernorm.weight`] = normW(d);
      tensors[`${h}.self_attn.q_proj.weight`] = t([H * dh, d]);
      tensors[`${h}.self_attn.k_proj.weight`] = t([Hkv * dh, d]);
      tensors[`${h}.self_attn.v_proj.weight`] = t([Hkv * dh, d]);
      tensors[`${h}.self_attn.o_proj.weight`] = t([d, H * dh]);
      if (spec.arch === "qwen3") {
        tensors[`${h}.self_attn.q_norm.weight`] = normW(dh);
        tensors[`${h}.self_attn.k_norm.weight`] = normW(dh);
      }
      tensors[`${h}.post_attention_layernorm.weight`] = normW(d);
      tensors[`${h}.mlp.gate_proj.weight`] = t([m, d]);
      tensors[`${h}.mlp.up_proj.weight`] = t([m, d]);
      tensors[`${h}.mlp.down_proj.weight`] = t([d, m]);
    }
    tensors["model.norm.weight"] = normW(d);
    if (spec.arch === "llama") tensors["lm_head.weight"] = t([V, d]);
  }
  writeFileSync(join(dir, "config.json"), JSON.stringify(config, null, 2));
  writeCheckpoint(dir, tensors, spec.dtype ?? "F32", spec.shards ?? 1);
  writeTinyTokenizer(dir);
}

function writeCheckpoint(dir: string, tensors: Record<string, Tensor>, dtype: SafetensorsDtype, shards: number): void {
  if (shards === 1) return writeSafetensors(join(dir, "model.safetensors"), tensors, { dtype });
  const names = Object.keys(tensors);
  const weight_map: Record<string, string> = {};
  for (let s = 0; s < shards; s++) {
    const file = `model-${String(s + 1).padStart(5, "0")}-of-${String(shards).padStart(5, "0")}.safetensors`;
    const part: Record<string, Tensor> = {};
    names.filter((_, i) => i % shards === s).forEach((n) => ((part[n] = tensors[n]!), (weight_map[n] = file)));
    writeSafetensors(join(dir, file), part, { dtype });
  }
  writeFileSync(join(dir, "model.safetensors.index.json"), JSON.stringify({ metadata: {}, weight_map }));
}

/** A real tokenizer.json: BPE with single-letter tokens and no merges, split on whitespace. */
export function writeTinyTokenizer(dir: string): void {
  const vocab = Object.fromEntries(TINY_VOCAB.map((tok, id) => [tok, id]));
  const special = (id: number) => ({
    id,
    content: TINY_VOCAB[id],
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  const json = {
    version: "1.0",
    added_tokens: [special(0), special(1)],
    normalizer: null,
    pre_tokenizer: { type: "WhitespaceSplit" },
    post_processor: null,
    decoder: null,
    model: {
      type: "BPE",
      dropout: null,
      unk_token: "<unk>",
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges: [],
    },
  };
  writeFileSync(join(dir, "tokenizer.json"), JSON.stringify(json));
  writeFileSync(join(dir, "tokenizer_config.json"), JSON.stringify({ bos_token: "<bos>", unk_token: "<unk>" }));
}

export interface TinyTranscoderSpec {
  kind: "transcoder_set" | "cross_layer_transcoder";
  n_layers: number;
  d_model: number;
  d_transcoder: number;
  activation: "jumprelu" | "relu" | "topk";
  k?: number;
  skip?: boolean;
  feature_input_hook: string;
  feature_output_hook: string;
  seed: number;
}

export function writeTinyTranscoders(dir: string, spec: TinyTranscoderSpec): void {
  mkdirSync(dir, { recursive: true });
  const rand = makeRandom(spec.seed);
  const { n_layers: L, d_model: d, d_transcoder: F } = spec;
  const t = (shape: number[], lo = -0.5, hi = 0.5): Tensor => ({
    shape,
    data: uniform(
      rand,
      shape.reduce((a, b) => a * b, 1),
      lo,
      hi,
    ),
  });
  const yaml = [
    `model_name: tiny-test-model`,
    `model_kind: ${spec.kind}`,
    `feature_input_hook: ${spec.feature_input_hook}   # what the encoder reads`,
    `feature_output_hook: "${spec.feature_output_hook}"`,
    `scan: tiny-${spec.kind}`,
    ...(spec.activation === "topk"
      ? [`activation: topk`, `k: ${spec.k ?? 4}`]
      : spec.activation === "relu"
        ? [`activation: relu`]
        : []),
  ];
  writeFileSync(join(dir, "config.yaml"), yaml.join("\n") + "\n");
  for (let l = 0; l < L; l++) {
    // Thresholds U(0, 0.3) keep a reasonable number of JumpReLU features alive on tiny inputs.
    const threshold = spec.activation === "jumprelu" ? t([F], 0, 0.3) : null;
    if (spec.kind === "transcoder_set") {
      const tensors: Record<string, Tensor> = {
        W_enc: t([F, d]),
        W_dec: t([F, d]),
        b_enc: t([F], -0.2, 0.2),
        b_dec: t([d], -0.1, 0.1),
      };
      if (threshold) tensors["activation_function.threshold"] = threshold;
      if (spec.skip) tensors.W_skip = t([d, d], -0.3, 0.3);
      writeSafetensors(join(dir, `layer_${l}.safetensors`), tensors);
    } else {
      const enc: Record<string, Tensor> = {
        [`W_enc_${l}`]: t([F, d]),
        [`b_enc_${l}`]: t([F], -0.2, 0.2),
        [`b_dec_${l}`]: t([d], -0.1, 0.1),
      };
      if (threshold) enc[`threshold_${l}`] = threshold;
      writeSafetensors(join(dir, `W_enc_${l}.safetensors`), enc);
      writeSafetensors(join(dir, `W_dec_${l}.safetensors`), { [`W_dec_${l}`]: t([F, L - l, d]) });
    }
  }
}
