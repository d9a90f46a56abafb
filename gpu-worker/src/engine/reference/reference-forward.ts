import type { ModelConfig } from "../../models/model-config";
import type { LayerWeights, ModelWeights, NormWeights } from "../../models/model-weights";
import type { FeatureInputHook, FeatureOutputHook } from "../../models/transcoder-set";
import type { ForwardCache } from "../forward-cache";
import { ropeInverseFrequencies } from "../rope-frequencies";
import { geluTanh, matmul, silu } from "./reference-math";

/**
 * The float64 reference forward pass: the oracle for the ONNX path and for attribution tests.
 * One function per component, in block order (pre-norm):
 *   resid_pre → ln1 → attn → (+) → resid_mid → ln2 → MLP → (+) → resid_post
 * Shape letters: T tokens, d d_model, H n_heads, Hkv n_kv_heads, dh d_head, m d_mlp, V vocab, L n_layers.
 *
 * (Gemma-2 adds post-norms: … → attn → ln1_post → (+) … MLP → ln2_post → (+).)
 * With `frozen` set it runs the *linearised* model of reference §1.7 and §8.1: attention patterns
 * and norm denominators come from the clean cache, and the value at each transcoder output hook is
 * the clean one plus the skip term's change, skip(x) − skip(x_clean). `inject` adds delta vectors at hook_embed and at
 * the MLP-output hooks. The perturbation oracle is this function plus one injected delta.
 */
export interface ReferenceForwardOptions {
  inputHook: FeatureInputHook;
  /** Only matters for Gemma-2: "mlp.hook_out" sits before the post-MLP norm, "hook_mlp_out" after it. */
  outputHook?: FeatureOutputHook;
  frozen?: { cache: ForwardCache; W_skip: (l: number) => { shape: number[]; data: Float32Array } | null };
  inject?: { embed?: Float64Array /* [T, d] */; mlp_out?: Float64Array /* [L, T, d] */ };
}

export interface ReferenceForwardResult extends ForwardCache {
  embed: Float64Array;
  x: Float64Array;
  mlp_out: Float64Array;
  logits: Float64Array; // [V] last position
  final_normed: Float64Array; // [d] ln_final output at the last position (where logit targets are injected)
}

export function referenceForward(
  model: ModelWeights,
  tokens: number[],
  opts: ReferenceForwardOptions,
): ReferenceForwardResult {
  const c = model.config;
  const T = tokens.length;
  const { d_model: d, n_layers: L, n_heads: H } = c;
  const frozen = opts.frozen?.cache;
  const isOutputBeforePostNorm = c.post_norms && opts.outputHook === "mlp.hook_out";
  const frozenScale = (scales: ArrayLike<number> | undefined, l: number) =>
    scales ? (scales as Float64Array).subarray(l * T, (l + 1) * T) : undefined;

  const embed = embedTokens(model, tokens); // (T, d)
  if (opts.inject?.embed) addInto(embed, opts.inject.embed, 0);
  const resid = addPositions(model, embed, T); // (T, d)

  const x = new Float64Array(L * T * d); // (L, T, d)
  const mlp_out = new Float64Array(L * T * d); // (L, T, d)
  const patterns = new Float64Array(L * H * T * T); // (L, H, T, T)
  const ln1_scale = new Float64Array(L * T); // (L, T)
  const ln2_scale = new Float64Array(L * T); // (L, T)
  const ln1_post_scale = new Float64Array(c.post_norms ? L * T : 0); // (L, T)
  const ln2_post_scale = new Float64Array(c.post_norms ? L * T : 0); // (L, T)

  for (let l = 0; l < L; l++) {
    const layer = model.layers[l]!;
    // attention sub-block
    const ln1 = norm(c, layer.ln1, resid, T, frozenScale(frozen?.ln1_scale, l)); // (T, d)
    ln1_scale.set(ln1.scale, l * T);
    const P = frozen
      ? Float64Array.from(frozen.patterns.subarray(l * H * T * T, (l + 1) * H * T * T))
      : attentionPattern(c, layer, ln1.y, T, l); // (H, T, T)
    patterns.set(P, l * H * T * T);
    let attn = attentionOutput(c, layer, ln1.y, P, T); // (T, d)
    if (layer.ln1_post) {
      const post = norm(c, layer.ln1_post, attn, T, frozenScale(frozen?.ln1_post_scale, l));
      ln1_post_scale.set(post.scale, l * T);
      attn = post.y;
    }
    addInto(resid, attn, 0); // resid_mid (T, d)

    // MLP sub-block
    const ln2 = norm(c, layer.ln2, resid, T, frozenScale(frozen?.ln2_scale, l)); // (T, d)
    ln2_scale.set(ln2.scale, l * T);
    const x_l = transcoderInput(opts.inputHook, resid, ln2.y, ln2.normalized); // (T, d)
    x.set(x_l, l * T * d);
    let y: Float64Array; // (T, d) value at the output hook
    let block: Float64Array | null = null; // (T, d) the sub-block's contribution to the residual, when it differs from y
    if (frozen && opts.frozen) {
      y = Float64Array.from(frozen.mlp_out.subarray(l * T * d, (l + 1) * T * d));
      const W_skip = opts.frozen.W_skip(l);
      if (W_skip) {
        const dx = Float64Array.from(x_l); // (T, d)
        for (let i = 0; i < dx.length; i++) dx[i]! -= frozen.x[l * T * d + i]!;
        addInto(y, matmul(dx, T, W_skip, null), 0); // skip is linear, so skip(x) − skip(x_clean) = skip(Δx)
      }
    } else {
      y = mlp(c, layer, ln2.y, T);
      if (layer.ln2_post && !isOutputBeforePostNorm) {
        const post = norm(c, layer.ln2_post, y, T); // hook_mlp_out is after Gemma-2's post-MLP norm
        ln2_post_scale.set(post.scale, l * T);
        y = post.y;
      }
    }
    if (opts.inject?.mlp_out) addInto(y, opts.inject.mlp_out.subarray(l * T * d, (l + 1) * T * d), 0);
    mlp_out.set(y, l * T * d);
    if (layer.ln2_post && isOutputBeforePostNorm) {
      // The hook sits before the post-norm, so the (frozen) norm stays on every path out of the MLP.
      const post = norm(c, layer.ln2_post, y, T, frozenScale(frozen?.ln2_post_scale, l));
      ln2_post_scale.set(post.scale, l * T);
      block = post.y;
    } else if (frozen && layer.ln2_post) {
      ln2_post_scale.set(frozenScale(frozen.ln2_post_scale, l)!, l * T);
    }
    addInto(resid, block ?? y, 0); // resid_post (T, d)
  }

  const lnf = norm(c, model.ln_f, resid, T, frozen?.lnf_scale); // (T, d)
  const last = lnf.y.subarray((T - 1) * d, T * d); // (d)
  const logits = matmul(Float64Array.from(last), 1, model.W_U, model.b_U); // (V)
  const cap = c.final_softcap;
  if (cap) for (let v = 0; v < logits.length; v++) logits[v] = cap * Math.tanh(logits[v]! / cap);
  return {
    n_tokens: T,
    embed,
    x,
    mlp_out,
    patterns,
    ln1_scale,
    ln2_scale,
    ln1_post_scale,
    ln2_post_scale,
    lnf_scale: lnf.scale,
    logits,
    final_normed: Float64Array.from(last),
  };
}

/** hook_embed: the token embedding rows W_E[token] (× √d for Gemma, as TransformerLens folds it), [T, d]. */
function embedTokens(model: ModelWeights, tokens: number[]): Float64Array {
  const d = model.config.d_model;
  const out = new Float64Array(tokens.length * d); // (T, d)
  tokens.forEach((tok, p) => {
    if (tok < 0 || tok >= model.config.d_vocab)
      throw new Error(`referenceForward: token id ${tok} at position ${p} is outside [0, ${model.config.d_vocab})`);
    for (let j = 0; j < d; j++) out[p * d + j] = model.W_E.data[tok * d + j]! * model.config.embed_scale;
  });
  return out;
}

/** Learned absolute positions (GPT-2) are added after hook_embed, so they are constants, not nodes. */
function addPositions(model: ModelWeights, embed: Float64Array, T: number): Float64Array {
  const resid = Float64Array.from(embed); // (T, d)
  if (model.W_pos) {
    if (T > model.config.n_ctx) throw new Error(`referenceForward: ${T} tokens exceed n_ctx ${model.config.n_ctx}`);
    for (let i = 0; i < T * model.config.d_model; i++) resid[i]! += model.W_pos.data[i]!;
  }
  return resid;
}

/**
 * LayerNorm or RMSNorm over the last axis, returning the denominator s = sqrt(var + eps) (or
 * sqrt(mean(x²) + eps)) so the linearised model can freeze it, and `normalized` = c(x) / s before
 * the weight (TransformerLens' ln2.hook_normalized).
 */
export function norm(c: ModelConfig, w: NormWeights, x: Float64Array, n: number, frozenScale?: ArrayLike<number>) {
  const dim = w.w.shape[0]!;
  const y = new Float64Array(n * dim); // (n, dim)
  const normalized = new Float64Array(n * dim); // (n, dim)
  const scale = new Float64Array(n); // (n)
  for (let i = 0; i < n; i++) {
    const row = x.subarray(i * dim, (i + 1) * dim);
    let mean = 0;
    if (c.norm === "layernorm") {
      for (let j = 0; j < dim; j++) mean += row[j]!;
      mean /= dim;
    }
    let ss = 0;
    for (let j = 0; j < dim; j++) ss += (row[j]! - mean) ** 2;
    const s = frozenScale ? frozenScale[i]! : Math.sqrt(ss / dim + c.norm_eps);
    scale[i] = s;
    for (let j = 0; j < dim; j++) {
      const nj = (row[j]! - mean) / s;
      normalized[i * dim + j] = nj;
      y[i * dim + j] = nj * w.w.data[j]! + (w.b ? w.b.data[j]! : 0);
    }
  }
  return { y, normalized, scale };
}

/**
 * q, k (with Qwen3's per-head norms and RoPE) → softmax pattern P, [H, T, T], over the keys
 * 0 ≤ q − k (< sliding_window on local layers), scores soft-capped first where configured.
 */
function attentionPattern(c: ModelConfig, layer: LayerWeights, h: Float64Array, T: number, l: number): Float64Array {
  const { n_heads: H, n_kv_heads: Hkv, d_head: dh } = c;
  const q = matmul(h, T, layer.W_Q, layer.b_Q); // (T, H*dh)
  const k = matmul(h, T, layer.W_K, layer.b_K); // (T, Hkv*dh)
  if (layer.q_norm && layer.k_norm) {
    q.set(norm(c, layer.q_norm, q, T * H).y); // RMSNorm over each head's dh
    k.set(norm(c, layer.k_norm, k, T * Hkv).y);
  }
  if (c.positional === "rotary") {
    const inv = ropeInverseFrequencies(c); // (dh/2)
    rotate(q, T, H, dh, inv);
    rotate(k, T, Hkv, dh, inv);
  }
  const P = new Float64Array(H * T * T); // (H, T, T)
  const group = H / Hkv;
  const scale = c.attn_scale;
  const cap = c.attn_softcap;
  const window = c.sliding_layers[l] && c.sliding_window ? c.sliding_window : Infinity;
  for (let hd = 0; hd < H; hd++) {
    const kvh = Math.floor(hd / group);
    for (let i = 0; i < T; i++) {
      const row = P.subarray((hd * T + i) * T, (hd * T + i + 1) * T);
      const first = Math.max(0, i - window + 1);
      let max = -Infinity;
      for (let j = first; j <= i; j++) {
        let s = 0;
        for (let e = 0; e < dh; e++) s += q[(i * H + hd) * dh + e]! * k[(j * Hkv + kvh) * dh + e]!;
        row[j] = cap ? cap * Math.tanh((s * scale) / cap) : s * scale;
        max = Math.max(max, row[j]!);
      }
      let sum = 0;
      for (let j = first; j <= i; j++) sum += row[j] = Math.exp(row[j]! - max);
      for (let j = first; j <= i; j++) row[j]! /= sum;
    }
  }
  return P;
}

/** HF's rotate_half convention: pairs (e, e + dh/2) rotate by angle pos · inv_freq[e]. In place on [T, nh, dh]. */
function rotate(v: Float64Array, T: number, nh: number, dh: number, inv: Float64Array): void {
  const half = dh / 2;
  for (let p = 0; p < T; p++) {
    for (let hd = 0; hd < nh; hd++) {
      const base = (p * nh + hd) * dh;
      for (let e = 0; e < half; e++) {
        const angle = p * inv[e]!;
        const cos = Math.cos(angle);
        const sin = Math.sin(angle);
        const a = v[base + e]!;
        const b = v[base + e + half]!;
        v[base + e] = a * cos - b * sin;
        v[base + e + half] = b * cos + a * sin;
      }
    }
  }
}

/** z[q] = Σ_k P[h, q, k] v[k] per head, then z @ W_O + b_O: [T, d]. Linear in h once P is fixed. */
function attentionOutput(
  c: ModelConfig,
  layer: LayerWeights,
  h: Float64Array,
  P: Float64Array,
  T: number,
): Float64Array {
  const { n_heads: H, n_kv_heads: Hkv, d_head: dh } = c;
  const v = matmul(h, T, layer.W_V, layer.b_V); // (T, Hkv*dh)
  const z = new Float64Array(T * H * dh); // (T, H*dh)
  const group = H / Hkv;
  for (let hd = 0; hd < H; hd++) {
    const kvh = Math.floor(hd / group);
    for (let i = 0; i < T; i++) {
      for (let j = 0; j <= i; j++) {
        const p = P[(hd * T + i) * T + j]!;
        if (p === 0) continue;
        for (let e = 0; e < dh; e++) z[(i * H + hd) * dh + e]! += p * v[(j * Hkv + kvh) * dh + e]!;
      }
    }
  }
  return matmul(z, T, layer.W_O, layer.b_O); // (T, d)
}

/**
 * GPT-2: gelu_tanh(h W_in + b_in) W_out + b_out. Gated (Llama/Qwen3 SwiGLU, Gemma-2 GeGLU):
 * (act(h W_gate) ⊙ h W_in) W_out.
 */
function mlp(c: ModelConfig, layer: LayerWeights, h: Float64Array, T: number): Float64Array {
  const up = matmul(h, T, layer.W_in, layer.b_in); // (T, m)
  const act = c.act === "silu" ? silu : geluTanh;
  if (c.gated_mlp && layer.W_gate) {
    const gate = matmul(h, T, layer.W_gate, layer.b_gate); // (T, m)
    for (let i = 0; i < up.length; i++) up[i] = act(gate[i]!) * up[i]!;
  } else {
    for (let i = 0; i < up.length; i++) up[i] = act(up[i]!);
  }
  return matmul(up, T, layer.W_out, layer.b_out); // (T, d)
}

/** The value the transcoders read (reference §1.5). */
function transcoderInput(
  hook: FeatureInputHook,
  resid_mid: Float64Array,
  ln2_out: Float64Array,
  ln2_normalized: Float64Array,
): Float64Array {
  if (hook === "hook_resid_mid") return Float64Array.from(resid_mid);
  if (hook === "mlp.hook_in") return ln2_out;
  return ln2_normalized; // "ln2.hook_normalized"
}

function addInto(target: Float64Array, delta: ArrayLike<number>, offset: number): void {
  for (let i = 0; i < target.length; i++) target[i]! += delta[offset + i]!;
}
