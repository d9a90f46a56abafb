import type { ModelConfig } from "../../models/model-config";
import type { ModelWeights, NormWeights } from "../../models/model-weights";
import type { TranscoderSet } from "../../models/transcoder-set";
import type { AdjointBatch, AdjointResult, AdjointRunner, AdjointSources } from "../adjoint-types";
import type { ForwardCache } from "../forward-cache";
import { dot, matmulTransposed } from "./reference-math";

/**
 * The float64 reference adjoint pass (reference §2.12), one batch row at a time, written to be
 * read rather than to be fast. G is the gradient w.r.t. the residual stream, [T, d], carried
 * from the top layer down; the blocks are visited in reverse order (llm.c's *_backward).
 * Shape letters: T tokens, d d_model, H n_heads, Hkv n_kv_heads, dh d_head, L n_layers.
 */
export function referenceAdjointRunner(
  model: ModelWeights,
  set: TranscoderSet,
  cache: ForwardCache,
  sources: AdjointSources,
): AdjointRunner {
  return {
    run: async (batch) => referenceAdjoint(model, set, cache, sources, batch),
    dispose: async () => {},
  };
}

export function referenceAdjoint(
  model: ModelWeights,
  set: TranscoderSet,
  cache: ForwardCache,
  sources: AdjointSources,
  batch: AdjointBatch,
): AdjointResult {
  const c = model.config;
  const { d_model: d, n_layers: L } = c;
  const T = cache.n_tokens;
  const B = batch.layer.length;
  const decoder = sources.decoderRows.map((rows) => new Float64Array(B * rows.pos.length)); // L × (B, n_l)
  const errors = new Float64Array(B * L * T); // (B, L, T)
  const tokens = new Float64Array(B * T); // (B, T)

  for (let b = 0; b < B; b++) {
    const layer_b = batch.layer[b]!;
    const pos_b = batch.pos[b]!;
    const vec_b = batch.vecs.subarray(b * d, (b + 1) * d); // (d)
    let G: Float64Array = new Float64Array(T * d); // (T, d) gradient at resid_post of the current layer
    if (layer_b === L) {
      // Logit target: inject at the final-norm output, pull back through the frozen ln_final.
      const g = new Float64Array(T * d);
      g.set(vec_b, pos_b * d);
      G = normAdjoint(c, model.ln_f, g, T, cache.lnf_scale, true);
    }
    for (let l = Math.min(layer_b, L) - (layer_b === L ? 1 : 0); l >= 0; l--) {
      // 1) MLP-output contractions. Sources write at the output hook; the sub-block's output adds to
      //    the residual, through Gemma-2's frozen post-MLP norm when the hook sits before it.
      const layer = model.layers[l]!;
      const g_out =
        layer.ln2_post && set.feature_output_hook === "mlp.hook_out"
          ? normAdjoint(c, layer.ln2_post, G, T, cache.ln2_post_scale.subarray(l * T, (l + 1) * T), true)
          : G; // (T, d)
      const rows = sources.decoderRows[l]!;
      for (let r = 0; r < rows.pos.length; r++)
        decoder[l]![b * rows.pos.length + r] = dot(g_out, rows.pos[r]! * d, rows.vecs, r * d, d);
      for (let p = 0; p < T; p++) errors[(b * L + l) * T + p] = dot(g_out, p * d, sources.errors, (l * T + p) * d, d);
      // 2) The replaced MLP keeps only its linear skip: y = x @ W_skip + const ⇒ g_x = g_out @ W_skipᵀ.
      const W_skip = set.layers[l]!.W_skip;
      const g_x = W_skip ? matmulTransposed(g_out, T, W_skip) : new Float64Array(T * d); // (T, d)
      // 3) Targets reading at layer l inject their encoder vector at the transcoder input.
      if (layer_b === l) for (let j = 0; j < d; j++) g_x[pos_b * d + j]! += vec_b[j]!;
      // 4) Back from the read hook to resid_mid.
      const ln2_scale = cache.ln2_scale.subarray(l * T, (l + 1) * T);
      const g_mid =
        set.feature_input_hook === "hook_resid_mid"
          ? g_x
          : normAdjoint(c, layer.ln2, g_x, T, ln2_scale, set.feature_input_hook === "mlp.hook_in");
      for (let i = 0; i < T * d; i++) G[i]! += g_mid[i]!; // G is now the gradient at resid_mid
      // 5) Attention with frozen patterns, between the frozen ln1 and (Gemma-2) the frozen ln1_post.
      const g_attn = layer.ln1_post
        ? normAdjoint(c, layer.ln1_post, G, T, cache.ln1_post_scale.subarray(l * T, (l + 1) * T), true)
        : G; // (T, d)
      const g_h = attentionAdjoint(c, model, l, g_attn, cache.patterns, T); // (T, d)
      const g_pre = normAdjoint(c, layer.ln1, g_h, T, cache.ln1_scale.subarray(l * T, (l + 1) * T), true);
      for (let i = 0; i < T * d; i++) G[i]! += g_pre[i]!; // gradient at resid_pre[l]
    }
    // hook_embed: positions are added after it, so the gradient there is G itself.
    for (let p = 0; p < T; p++) tokens[b * T + p] = dot(G, p * d, sources.tokenVectors, p * d, d);
  }
  return { decoder, errors, tokens };
}

/**
 * Frozen norm y = w ⊙ c(x) / s (+ b): its adjoint is g_x = cᵀ(w ⊙ g_y) / s, where c is the
 * (symmetric) mean-centring for LayerNorm and the identity for RMSNorm. `withWeight` = false
 * gives the adjoint of TransformerLens' hook_normalized (before the weight).
 */
export function normAdjoint(
  c: ModelConfig,
  w: NormWeights,
  g: Float64Array,
  T: number,
  scale: ArrayLike<number>,
  withWeight: boolean,
): Float64Array {
  const d = c.d_model;
  const out = new Float64Array(T * d); // (T, d)
  for (let p = 0; p < T; p++) {
    let mean = 0;
    for (let j = 0; j < d; j++) {
      const v = (withWeight ? w.w.data[j]! : 1) * g[p * d + j]!;
      out[p * d + j] = v;
      mean += v;
    }
    mean = c.norm === "layernorm" ? mean / d : 0;
    for (let j = 0; j < d; j++) out[p * d + j] = (out[p * d + j]! - mean) / scale[p]!;
  }
  return out;
}

/** Adjoint of h ↦ (P ⊗ (h W_V + b_V)) W_O with P fixed: g_h = Σ_h (Pᵀ (g W_Oᵀ)_h) W_Vᵀ. */
function attentionAdjoint(
  c: ModelConfig,
  model: ModelWeights,
  l: number,
  G: Float64Array,
  patterns: ArrayLike<number>,
  T: number,
): Float64Array {
  const { n_heads: H, n_kv_heads: Hkv, d_head: dh } = c;
  const layer = model.layers[l]!;
  const g_z = matmulTransposed(G, T, layer.W_O); // (T, H*dh)
  const g_v = new Float64Array(T * Hkv * dh); // (T, Hkv*dh)
  const group = H / Hkv;
  const base = l * H * T * T;
  for (let hd = 0; hd < H; hd++) {
    const kvh = Math.floor(hd / group); // GQA: the query heads of a group share (and sum into) one value head
    for (let q = 0; q < T; q++) {
      for (let k = 0; k <= q; k++) {
        const p = patterns[base + (hd * T + q) * T + k]!;
        if (p === 0) continue;
        for (let e = 0; e < dh; e++) g_v[(k * Hkv + kvh) * dh + e]! += p * g_z[(q * H + hd) * dh + e]!;
      }
    }
  }
  return matmulTransposed(g_v, T, layer.W_V); // (T, d)
}
