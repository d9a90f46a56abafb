/**
 * A typed view of a Hugging Face `config.json`, normalised across the architectures the worker
 * runs. Field names follow TransformerLens / the attribution reference (d_model, n_layers, ...).
 * Only what the forward pass needs is kept; anything unexpected is an error naming the field.
 */

export type Architecture = "gpt2" | "llama" | "qwen3" | "gemma2";

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
  /**
   * The MLP nonlinearity. GPT-2's "gelu_new" and Gemma's "gelu_pytorch_tanh" are the same tanh
   * approximation of GELU ("gelu_tanh"); Llama/Qwen3 use SiLU. Gated MLPs (SwiGLU, GeGLU) compute
   * act(x W_gate) ⊙ (x W_in).
   */
  act: "gelu_tanh" | "silu";
  gated_mlp: boolean;
  /** Qwen3 applies an RMSNorm over each head's query and key before RoPE. */
  has_qk_norm: boolean;
  attn_bias: boolean;
  attn_out_bias: boolean;
  mlp_bias: boolean;
  tie_word_embeddings: boolean;
  /** Gemma multiplies the token embedding by √d_model; hook_embed sees the scaled value (as TransformerLens folds it). */
  embed_scale: number;
  /** Attention score scale: 1/√d_head, except Gemma-2's query_pre_attn_scalar^-0.5. */
  attn_scale: number;
  /** Gemma-2 soft-caps attention scores, c·tanh(s/c), before the mask. */
  attn_softcap: number | null;
  /** Gemma-2 soft-caps the final logits; not part of the linearised path (reference §1.7). */
  final_softcap: number | null;
  /** Gemma-2 normalises each sub-block's output too (post_attention / post_feedforward RMSNorm). */
  post_norms: boolean;
  /** Local attention: keys with 0 ≤ q − k < sliding_window, on the layers flagged in sliding_layers. */
  sliding_window: number | null;
  sliding_layers: boolean[];
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
  if (modelType === "gemma2" || archs.includes("Gemma2ForCausalLM")) return parseGemma2(json);
  throw new Error(
    `config.json: unsupported architecture (model_type ${JSON.stringify(modelType)}, architectures ${JSON.stringify(archs)}); ` +
      `expected gpt2, llama, qwen3 or gemma2`,
  );
}

function parseGpt2(json: Json): ModelConfig {
  const d_model = num(json, "n_embd");
  const n_heads = num(json, "n_head");
  const act = (json.activation_function as string | undefined) ?? "gelu_new";
  if (act !== "gelu_new")
    throw new Error(`config.json: GPT-2 activation_function "${act}" is not supported; expected "gelu_new"`);
  // Variants of GPT-2 attention scaling that the forward pass does not implement.
  if (json.scale_attn_weights === false)
    throw new Error(`config.json: GPT-2 scale_attn_weights false is not supported; expected true`);
  if (json.scale_attn_by_inverse_layer_idx === true)
    throw new Error(`config.json: GPT-2 scale_attn_by_inverse_layer_idx true is not supported; expected false`);
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
    act: "gelu_tanh",
    gated_mlp: false,
    has_qk_norm: false,
    attn_bias: true,
    attn_out_bias: true,
    mlp_bias: true,
    tie_word_embeddings: true, // GPT-2's lm_head is always the transposed token embedding
    ...plainBlocks(num(json, "n_layer"), d_model / n_heads),
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
    throw new Error(
      `config.json: num_attention_heads ${n_heads} is not a multiple of num_key_value_heads ${n_kv_heads}`,
    );
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
    ...plainBlocks(num(json, "num_hidden_layers"), num(json, "head_dim", d_model / n_heads)),
    bos_token_id: optId(json, "bos_token_id"),
    eos_token_id: optId(json, "eos_token_id"),
    pad_token_id: optId(json, "pad_token_id"),
  };
}

/** The defaults of everything Gemma-2 adds: no scaling, no caps, no post-norms, global attention. */
function plainBlocks(n_layers: number, d_head: number) {
  return {
    embed_scale: 1,
    attn_scale: 1 / Math.sqrt(d_head),
    attn_softcap: null,
    final_softcap: null,
    post_norms: false,
    sliding_window: null,
    sliding_layers: new Array<boolean>(n_layers).fill(false),
  };
}

/**
 * Gemma-2: RMSNorm with (1 + w) (folded into the weights by the loader), pre- and post-norms around
 * both sub-blocks, √d embedding scale, GeGLU with tanh GELU, attention and final soft-caps, and
 * sliding-window attention on even layers (or where `layer_types` says "sliding_attention").
 */
function parseGemma2(json: Json): ModelConfig {
  const d_model = num(json, "hidden_size");
  const n_heads = num(json, "num_attention_heads");
  const n_layers = num(json, "num_hidden_layers");
  const act = (json.hidden_activation ?? json.hidden_act ?? "gelu_pytorch_tanh") as string;
  if (act !== "gelu_pytorch_tanh")
    throw new Error(`config.json: Gemma-2 hidden_activation "${act}" is not supported; expected "gelu_pytorch_tanh"`);
  const layerTypes = json.layer_types as string[] | undefined;
  const sliding_layers = Array.from({ length: n_layers }, (_, l) =>
    layerTypes ? layerTypes[l] === "sliding_attention" : l % 2 === 0,
  );
  const optNum = (key: string): number | null => (typeof json[key] === "number" ? (json[key] as number) : null);
  return {
    architecture: "gemma2",
    n_layers,
    d_model,
    n_heads,
    n_kv_heads: num(json, "num_key_value_heads", n_heads),
    d_head: num(json, "head_dim", d_model / n_heads),
    d_mlp: num(json, "intermediate_size"),
    d_vocab: num(json, "vocab_size"),
    n_ctx: num(json, "max_position_embeddings", 8192),
    norm: "rmsnorm",
    norm_eps: num(json, "rms_norm_eps", 1e-6),
    positional: "rotary",
    rope_theta: num(json, "rope_theta", 10000),
    rope_scaling: null,
    act: "gelu_tanh",
    gated_mlp: true,
    has_qk_norm: false,
    attn_bias: json.attention_bias === true,
    attn_out_bias: json.attention_bias === true,
    mlp_bias: false,
    tie_word_embeddings: true,
    embed_scale: Math.sqrt(d_model),
    attn_scale: num(json, "query_pre_attn_scalar", num(json, "head_dim", d_model / n_heads)) ** -0.5,
    attn_softcap: optNum("attn_logit_softcapping"),
    final_softcap: optNum("final_logit_softcapping"),
    post_norms: true,
    sliding_window: optNum("sliding_window"),
    sliding_layers,
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
  if (kind !== "llama3")
    throw new Error(`config.json: rope_scaling type ${JSON.stringify(kind)} is not supported; expected "llama3"`);
  return {
    kind: "llama3",
    factor: num(r, "factor"),
    low_freq_factor: num(r, "low_freq_factor"),
    high_freq_factor: num(r, "high_freq_factor"),
    original_max_position_embeddings: num(r, "original_max_position_embeddings"),
  };
}
