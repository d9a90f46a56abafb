/**
 * A typed view of a Hugging Face `config.json`, normalised across the architectures the worker
 * runs. Field names follow TransformerLens / the attribution reference (d_model, n_layers, ...).
 * Only what the forward pass needs is kept; anything unexpected is an error naming the field.
 */

export type Architecture = "gpt2" | "llama" | "qwen3";

export interface RopeScaling {
  /** Llama-3.x "llama3" scaling of the rotary inverse frequencies (long-context extension). */
  kind: "llama3";
  factor: number;
  low_freq_factor: number;
  high_freq_factor: number;
  original_max_position_embeddings: number;
}

export interface ModelConfig {
  architecture: Architecture;
  n_layers: number;
  d_model: number;
  n_heads: number;
  /** Grouped-query attention: query head h reads key/value head floor(h / (n_heads / n_kv_heads)). */
  n_kv_heads: number;
  /** Qwen3 sets head_dim explicitly (it need not equal d_model / n_heads). */
  d_head: number;
  d_mlp: number;
  d_vocab: number;
  n_ctx: number;
  norm: "layernorm" | "rmsnorm";
  norm_eps: number;
  positional: "learned" | "rotary";
  rope_theta: number;
  rope_scaling: RopeScaling | null;
  /** GPT-2 uses the tanh approximation ("gelu_new"); Llama/Qwen3 use SiLU in a gated (SwiGLU) MLP. */
  act: "gelu_new" | "silu";
  gated_mlp: boolean;
  /** Qwen3 applies an RMSNorm over each head's query and key before RoPE. */
  has_qk_norm: boolean;
  attn_bias: boolean;
  attn_out_bias: boolean;
  mlp_bias: boolean;
  tie_word_embeddings: boolean;
  bos_token_id: number | null;
  eos_token_id: number | null;
  pad_token_id: number | null;
}

type Json = Record<string, unknown>;

function num(json: Json, key: string, fallback?: number): number {
  const v = json[key];
  if (typeof v === "number") return v;
  if ((v === undefined || v === null) && fallback !== undefined) return fallback;
  throw new Error(`config.json: field "${key}" expected a number, got ${JSON.stringify(v)}`);
}

function optId(json: Json, key: string): number | null {
  const v = json[key];
  if (typeof v === "number") return v;
  if (Array.isArray(v) && typeof v[0] === "number") return v[0]; // some configs list several eos ids
  return null;
}

export function parseModelConfig(json: Json): ModelConfig {
  const archs = (json.architectures as string[] | undefined) ?? [];
  const modelType = json.model_type as string | undefined;
  if (modelType === "gpt2" || archs.includes("GPT2LMHeadModel")) return parseGpt2(json);
  if (modelType === "llama" || archs.includes("LlamaForCausalLM")) return parseLlamaLike(json, "llama");
  if (modelType === "qwen3" || archs.includes("Qwen3ForCausalLM")) return parseLlamaLike(json, "qwen3");
  throw new Error(
    `config.json: unsupported architecture (model_type ${JSON.stringify(modelType)}, architectures ${JSON.stringify(archs)}); ` +
      `expected gpt2, llama or qwen3`,
  );
}

function parseGpt2(json: Json): ModelConfig {
  const d_model = num(json, "n_embd");
  const n_heads = num(json, "n_head");
  const act = (json.activation_function as string | undefined) ?? "gelu_new";
  if (act !== "gelu_new") throw new Error(`config.json: GPT-2 activation_function "${act}" is not supported; expected "gelu_new"`);
  return {
    architecture: "gpt2",
    n_layers: num(json, "n_layer"),
    d_model,
    n_heads,
    n_kv_heads: n_heads,
    d_head: d_model / n_heads,
    d_mlp: num(json, "n_inner", 4 * d_model), // n_inner: null means the paper's 4 * d_model
    d_vocab: num(json, "vocab_size"),
    n_ctx: num(json, "n_positions"),
    norm: "layernorm",
    norm_eps: num(json, "layer_norm_epsilon", 1e-5),
    positional: "learned",
    rope_theta: 0,
    rope_scaling: null,
    act: "gelu_new",
    gated_mlp: false,
    has_qk_norm: false,
    attn_bias: true,
    attn_out_bias: true,
    mlp_bias: true,
    tie_word_embeddings: true, // GPT-2's lm_head is always the transposed token embedding
    bos_token_id: optId(json, "bos_token_id"),
    eos_token_id: optId(json, "eos_token_id"),
    pad_token_id: optId(json, "pad_token_id"),
  };
}

function parseLlamaLike(json: Json, architecture: "llama" | "qwen3"): ModelConfig {
  const d_model = num(json, "hidden_size");
  const n_heads = num(json, "num_attention_heads");
  const n_kv_heads = num(json, "num_key_value_heads", n_heads);
  if (n_heads % n_kv_heads !== 0) {
    throw new Error(`config.json: num_attention_heads ${n_heads} is not a multiple of num_key_value_heads ${n_kv_heads}`);
  }
  const act = (json.hidden_act as string | undefined) ?? "silu";
  if (act !== "silu") throw new Error(`config.json: hidden_act "${act}" is not supported; expected "silu"`);
  const attn_bias = json.attention_bias === true;
  return {
    architecture,
    n_layers: num(json, "num_hidden_layers"),
    d_model,
    n_heads,
    n_kv_heads,
    d_head: num(json, "head_dim", d_model / n_heads),
    d_mlp: num(json, "intermediate_size"),
    d_vocab: num(json, "vocab_size"),
    n_ctx: num(json, "max_position_embeddings", 2048),
    norm: "rmsnorm",
    norm_eps: num(json, "rms_norm_eps", 1e-6),
    positional: "rotary",
    rope_theta: num(json, "rope_theta", 10000),
    rope_scaling: parseRopeScaling(json.rope_scaling),
    act: "silu",
    gated_mlp: true,
    has_qk_norm: architecture === "qwen3",
    attn_bias,
    attn_out_bias: attn_bias,
    mlp_bias: json.mlp_bias === true,
    tie_word_embeddings: json.tie_word_embeddings === true,
    bos_token_id: optId(json, "bos_token_id"),
    eos_token_id: optId(json, "eos_token_id"),
    pad_token_id: optId(json, "pad_token_id"),
  };
}

function parseRopeScaling(raw: unknown): RopeScaling | null {
  if (raw === undefined || raw === null) return null;
  const r = raw as Json;
  const kind = (r.rope_type ?? r.type) as string | undefined;
  if (kind === "default") return null;
  if (kind !== "llama3") throw new Error(`config.json: rope_scaling type ${JSON.stringify(kind)} is not supported; expected "llama3"`);
  return {
    kind: "llama3",
    factor: num(r, "factor"),
    low_freq_factor: num(r, "low_freq_factor"),
    high_freq_factor: num(r, "high_freq_factor"),
    original_max_position_embeddings: num(r, "original_max_position_embeddings"),
  };
}
