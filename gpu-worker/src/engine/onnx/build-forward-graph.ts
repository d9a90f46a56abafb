import type { ModelConfig } from "../../models/model-config";
import type { LayerWeights, ModelWeights } from "../../models/model-weights";
import { tensorValues, type Tensor } from "../../models/tensor";
import type { FeatureInputHook, FeatureOutputHook } from "../../models/transcoder-set";
import { ropeInverseFrequencies } from "../rope-frequencies";
import { normForward } from "./onnx-norm";
import { OnnxGraphBuilder } from "./onnx-graph-builder";

/**
 * The forward pass as an ONNX graph, returning every cache attribution needs (ForwardCache).
 * One prompt, dynamic length T. Shape letters: T tokens, d d_model, H n_heads, Hkv n_kv_heads,
 * g = H / Hkv, dh d_head, m d_mlp, V vocab, L n_layers.
 *   input   input_ids [T] int64
 *   outputs embed [T, d], x [L, T, d], mlp_out [L, T, d], patterns [L, H, T, T],
 *           ln1_scale [L, T], ln2_scale [L, T], lnf_scale [T], logits [1, V] (last position),
 *           and for Gemma-2 ln1_post_scale [L, T], ln2_post_scale [L, T]
 * Mirrors engine/reference/reference-forward.ts component by component.
 */
export function buildForwardGraph(
  model: ModelWeights,
  inputHook: FeatureInputHook,
  outputHook: FeatureOutputHook,
  externalDataPath: string | null = null,
): Uint8Array {
  const c = model.config;
  const g = new OnnxGraphBuilder("circuitboard_forward", externalDataPath);
  const ids = g.input("input_ids", "int64", ["T"]);
  const T = g.op("Squeeze", [g.op("Shape", [ids]), g.int64([0])]); // scalar T
  const positions = g.op("Range", [g.int64([0], []), T, g.int64([1], [])]); // [T]

  let embed = g.op("Gather", [g.weight("W_E", tensorValues(model.W_E), model.W_E.shape), ids], { axis: 0 }); // [T, d]
  if (c.embed_scale !== 1) embed = g.op("Mul", [embed, g.float([c.embed_scale])]); // Gemma: × √d before hook_embed (TransformerLens folds it)
  let resid = embed;
  if (model.W_pos)
    resid = g.op("Add", [
      embed,
      g.op("Gather", [g.weight("W_pos", tensorValues(model.W_pos), model.W_pos.shape), positions], { axis: 0 }),
    ]); // [T, d]

  const rope = c.positional === "rotary" ? ropeTables(g, c, positions) : null;
  // Masks: query q may attend to key k iff 0 ≤ q − k (and q − k < sliding_window on local layers).
  const offset = g.op("Sub", [
    g.op("Unsqueeze", [positions, g.int64([1])]),
    g.op("Unsqueeze", [positions, g.int64([0])]),
  ]); // [T, T] q − k
  const causal = g.op("GreaterOrEqual", [offset, g.int64([0], [])]); // [T, T] bool
  const local = c.sliding_window
    ? g.op("And", [causal, g.op("Less", [offset, g.int64([c.sliding_window], [])])])
    : causal;

  const xs: string[] = [],
    ys: string[] = [],
    Ps: string[] = [],
    s1: string[] = [],
    s2: string[] = [],
    s1p: string[] = [],
    s2p: string[] = [];
  const asRow = (v: string) => g.op("Reshape", [v, g.int64([1, -1])]); // [T, 1] -> [1, T]
  const stack = (v: string) => g.op("Unsqueeze", [v, g.int64([0])]); // [...] -> [1, ...]
  model.layers.forEach((layer, l) => {
    const p = `layers.${l}`;
    const ln1 = normForward(g, c, layer.ln1, resid, `${p}.ln1`); // [T, d]
    s1.push(asRow(ln1.scale));
    const P = attentionPattern(g, c, layer, ln1.y, p, rope, c.sliding_layers[l] ? local : causal); // [H, T, T]
    Ps.push(stack(P));
    let attn = attentionOutput(g, c, layer, ln1.y, P, p); // [T, d]
    if (layer.ln1_post) {
      const post = normForward(g, c, layer.ln1_post, attn, `${p}.ln1_post`);
      s1p.push(asRow(post.scale));
      attn = post.y;
    }
    resid = g.op("Add", [resid, attn]); // resid_mid [T, d]
    const ln2 = normForward(g, c, layer.ln2, resid, `${p}.ln2`); // [T, d]
    s2.push(asRow(ln2.scale));
    xs.push(stack(inputHook === "hook_resid_mid" ? resid : inputHook === "mlp.hook_in" ? ln2.y : ln2.normalized)); // [1, T, d]
    let y = mlp(g, c, layer, ln2.y, p); // [T, d]
    let block = y;
    if (layer.ln2_post) {
      const post = normForward(g, c, layer.ln2_post, y, `${p}.ln2_post`);
      s2p.push(asRow(post.scale));
      block = post.y;
      if (outputHook === "hook_mlp_out") y = block; // after Gemma-2's post-MLP norm; "mlp.hook_out" is before it
    }
    ys.push(stack(y));
    resid = g.op("Add", [resid, block]); // resid_post [T, d]
  });
  const lnf = normForward(g, c, model.ln_f, resid, "ln_f"); // [T, d]
  const last = g.op("Slice", [lnf.y, g.int64([-1]), g.int64([2 ** 31 - 1]), g.int64([0])]); // [1, d]
  let logits = g.op("MatMul", [last, g.weight("W_U", tensorValues(model.W_U), model.W_U.shape)]); // [1, V]
  if (model.b_U) logits = g.op("Add", [logits, g.weight("b_U", model.b_U.data, model.b_U.shape)]);
  if (c.final_softcap) logits = softcap(g, logits, c.final_softcap);

  const { n_layers: L, d_model: d, n_heads: H, d_vocab: V } = c;
  g.output("embed", embed, "float", ["T", d]);
  g.output("x", g.op("Concat", xs, { axis: 0 }), "float", [L, "T", d]);
  g.output("mlp_out", g.op("Concat", ys, { axis: 0 }), "float", [L, "T", d]);
  g.output("patterns", g.op("Concat", Ps, { axis: 0 }), "float", [L, H, "T", "T"]);
  g.output("ln1_scale", g.op("Concat", s1, { axis: 0 }), "float", [L, "T"]);
  g.output("ln2_scale", g.op("Concat", s2, { axis: 0 }), "float", [L, "T"]);
  g.output("lnf_scale", g.op("Reshape", [lnf.scale, g.int64([-1])]), "float", ["T"]);
  g.output("logits", logits, "float", [1, V]);
  if (c.post_norms) {
    g.output("ln1_post_scale", g.op("Concat", s1p, { axis: 0 }), "float", [L, "T"]);
    g.output("ln2_post_scale", g.op("Concat", s2p, { axis: 0 }), "float", [L, "T"]);
  }
  return g.toBytes();
}

/** cos/sin tables for HF's rotate_half RoPE, each [T, 1, dh] to broadcast over heads. */
function ropeTables(g: OnnxGraphBuilder, c: ModelConfig, positions: string) {
  const inv = Float32Array.from(ropeInverseFrequencies(c)); // [dh/2]
  const pos = g.op("Unsqueeze", [g.op("Cast", [positions], { to: 1 }), g.int64([1])]); // [T, 1] float
  const angles = g.op("Mul", [pos, g.weight("rope_inv_freq", inv, [1, inv.length])]); // [T, dh/2]
  const full = g.op("Unsqueeze", [g.op("Concat", [angles, angles], { axis: -1 }), g.int64([1])]); // [T, 1, dh]
  return { cos: g.op("Cos", [full]), sin: g.op("Sin", [full]) };
}

function rotate(g: OnnxGraphBuilder, c: ModelConfig, v: string, rope: { cos: string; sin: string }): string {
  const half = c.d_head / 2;
  const first = g.op("Slice", [v, g.int64([0]), g.int64([half]), g.int64([2])]); // [T, nh, dh/2]
  const second = g.op("Slice", [v, g.int64([half]), g.int64([c.d_head]), g.int64([2])]); // [T, nh, dh/2]
  const rotated = g.op("Concat", [g.op("Neg", [second]), first], { axis: 2 }); // [T, nh, dh]
  return g.op("Add", [g.op("Mul", [v, rope.cos]), g.op("Mul", [rotated, rope.sin])]);
}

function linear(g: OnnxGraphBuilder, x: string, name: string, W: Tensor, b: Tensor | null): string {
  const y = g.op("MatMul", [x, g.weight(`${name}.W`, tensorValues(W), W.shape)]);
  return b ? g.op("Add", [y, g.weight(`${name}.b`, b.data, b.shape)]) : y;
}

/**
 * Pattern P = softmax(q kᵀ / √dh + causal mask), [H, T, T]. GQA without copying keys: the
 * queries of one key/value group are stacked, [Hkv, g·T, dh] @ [Hkv, dh, T].
 */
function attentionPattern(
  g: OnnxGraphBuilder,
  c: ModelConfig,
  layer: LayerWeights,
  h: string,
  p: string,
  rope: { cos: string; sin: string } | null,
  causal: string,
): string {
  const { n_heads: H, n_kv_heads: Hkv, d_head: dh } = c;
  let q = g.op("Reshape", [linear(g, h, `${p}.q`, layer.W_Q, layer.b_Q), g.int64([0, H, dh])]); // [T, H, dh]
  let k = g.op("Reshape", [linear(g, h, `${p}.k`, layer.W_K, layer.b_K), g.int64([0, Hkv, dh])]); // [T, Hkv, dh]
  if (layer.q_norm && layer.k_norm) {
    q = normForward(g, c, layer.q_norm, q, `${p}.q_norm`).y;
    k = normForward(g, c, layer.k_norm, k, `${p}.k_norm`).y;
  }
  if (rope) {
    q = rotate(g, c, q, rope);
    k = rotate(g, c, k, rope);
  }
  const qg = g.op("Reshape", [g.op("Transpose", [q], { perm: [1, 0, 2] }), g.int64([Hkv, -1, dh])]); // [Hkv, g·T, dh]
  const kT = g.op("Transpose", [k], { perm: [1, 2, 0] }); // [Hkv, dh, T]
  let scores = g.op("Mul", [g.op("MatMul", [qg, kT]), g.float([c.attn_scale])]); // [Hkv, g·T, T]
  if (c.attn_softcap) scores = softcap(g, scores, c.attn_softcap); // Gemma-2: before the mask
  const perHead = g.op("Reshape", [scores, g.int64([H, -1, 0])]); // [H, T, T]
  const masked = g.op("Where", [causal, perHead, g.float([-Infinity])]); // [H, T, T]
  return g.op("Softmax", [masked], { axis: -1 }, `${p}_pattern`); // [H, T, T]
}

function attentionOutput(
  g: OnnxGraphBuilder,
  c: ModelConfig,
  layer: LayerWeights,
  h: string,
  P: string,
  p: string,
): string {
  const { n_heads: H, n_kv_heads: Hkv, d_head: dh } = c;
  const v = g.op("Reshape", [linear(g, h, `${p}.v`, layer.W_V, layer.b_V), g.int64([0, Hkv, dh])]); // [T, Hkv, dh]
  const vh = g.op("Transpose", [v], { perm: [1, 0, 2] }); // [Hkv, T, dh]
  const Pg = g.op("Reshape", [P, g.int64([Hkv, -1, 0])]); // [Hkv, g·T, T]
  const z = g.op("Reshape", [g.op("MatMul", [Pg, vh]), g.int64([H, -1, dh])]); // [H, T, dh]
  const zt = g.op("Reshape", [g.op("Transpose", [z], { perm: [1, 0, 2] }), g.int64([0, -1])]); // [T, H·dh]
  return linear(g, zt, `${p}.o`, layer.W_O, layer.b_O); // [T, d]
}

function mlp(g: OnnxGraphBuilder, c: ModelConfig, layer: LayerWeights, h: string, p: string): string {
  const up = linear(g, h, `${p}.up`, layer.W_in, layer.b_in); // [T, m]
  const act = (u: string) => (c.act === "silu" ? g.op("Mul", [u, g.op("Sigmoid", [u])]) : geluTanh(g, u));
  const hidden =
    c.gated_mlp && layer.W_gate
      ? g.op("Mul", [act(linear(g, h, `${p}.gate`, layer.W_gate, layer.b_gate)), up])
      : act(up); // [T, m]
  return linear(g, hidden, `${p}.down`, layer.W_out, layer.b_out); // [T, d]
}

/** gelu_tanh(u) = 0.5 u (1 + tanh(√(2/π) (u + 0.044715 u³))): GPT-2's gelu_new, Gemma's gelu_pytorch_tanh. */
function geluTanh(g: OnnxGraphBuilder, u: string): string {
  const cube = g.op("Mul", [g.op("Mul", [u, u]), u]);
  const inner = g.op("Mul", [
    g.op("Add", [u, g.op("Mul", [cube, g.float([0.044715])])]),
    g.float([Math.sqrt(2 / Math.PI)]),
  ]);
  return g.op("Mul", [g.op("Mul", [u, g.float([0.5])]), g.op("Add", [g.op("Tanh", [inner]), g.float([1])])]);
}

/** c · tanh(s / c) (Gemma-2's attention and final-logit soft-caps). */
function softcap(g: OnnxGraphBuilder, s: string, cap: number): string {
  return g.op("Mul", [g.op("Tanh", [g.op("Mul", [s, g.float([1 / cap])])]), g.float([cap])]);
}
