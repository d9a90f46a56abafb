import type { ModelWeights } from "../../models/model-weights";
import { transpose2d } from "../../models/tensor";
import type { TranscoderSet } from "../../models/transcoder-set";
import { normAdjoint } from "./onnx-norm";
import { OnnxGraphBuilder } from "./onnx-graph-builder";

/**
 * The linearised adjoint pass as an ONNX graph (reference §2.5, §2.12), mirroring
 * engine/reference/reference-adjoint.ts. Shape letters: B batch rows, T tokens, L n_layers,
 * d d_model, H n_heads, Hkv n_kv_heads, g = H / Hkv, dh d_head, n_l decoder rows of layer l.
 *   inputs  patterns [L, H, T, T], ln1_scale [L, T], ln2_scale [L, T], lnf_scale [T]   (frozen;
 *           Gemma-2 also ln1_post_scale [L, T], ln2_post_scale [L, T])
 *           inj_layer [B] int64, inj_pos [B] int64, inj_vecs [B, d]                      (targets)
 *           top_layer [] int64: max(inj_layer); layers above it are skipped (their gradient is zero)
 *           errors [L, T, d], token_vectors [T, d]                                        (sources)
 *           dec_vecs_l [T, d, c_l]: layer l's decoder rows grouped by position, zero-padded to c_l slots
 *   outputs dec_l [T, B, c_l] for each l (row (p, slot) of layer l for batch row b), errors_out [B, L, T],
 *           tokens_out [B, T]
 * Each batch row carries its own target's gradient; rows are zero above their injection point,
 * so targets at different layers share one pass.
 */
export function buildAdjointGraph(
  model: ModelWeights,
  set: TranscoderSet,
  externalDataPath: string | null = null,
): Uint8Array {
  const c = model.config;
  const { n_layers: L, d_model: d, n_heads: H, n_kv_heads: Hkv, d_head: dh } = c;
  const g = new OnnxGraphBuilder("circuitboard_adjoint", externalDataPath);
  const patterns = g.input("patterns", "float", [L, H, "T", "T"]);
  const ln1_scale = g.input("ln1_scale", "float", [L, "T"]);
  const ln2_scale = g.input("ln2_scale", "float", [L, "T"]);
  const lnf_scale = g.input("lnf_scale", "float", ["T"]);
  const ln1_post_scale = c.post_norms ? g.input("ln1_post_scale", "float", [L, "T"]) : null;
  const ln2_post_scale = c.post_norms ? g.input("ln2_post_scale", "float", [L, "T"]) : null;
  const inj_layer = g.input("inj_layer", "int64", ["B"]);
  const inj_pos = g.input("inj_pos", "int64", ["B"]);
  const inj_vecs = g.input("inj_vecs", "float", ["B", d]);
  const top_layer = g.input("top_layer", "int64", []);
  const errors = g.input("errors", "float", [L, "T", d]);
  const token_vectors = g.input("token_vectors", "float", ["T", d]);
  const decVecs = Array.from({ length: L }, (_, l) => g.input(`dec_vecs_${l}`, "float", ["T", d, `c_${l}`]));

  const T = g.op("Gather", [g.op("Shape", [token_vectors]), g.int64([0], [])], { axis: 0 }); // scalar
  const positions = g.op("Range", [g.int64([0], []), T, g.int64([1], [])]); // [T]
  const onehotPos = g.op("Unsqueeze", [
    g.op(
      "Cast",
      [g.op("Equal", [g.op("Unsqueeze", [inj_pos, g.int64([1])]), g.op("Unsqueeze", [positions, g.int64([0])])])],
      { to: 1 },
    ),
    g.int64([2]),
  ]); // [B, T, 1]
  const vecs3 = g.op("Unsqueeze", [inj_vecs, g.int64([1])]); // [B, 1, d]
  /** The injection for targets at layer λ: vec_b at (b, pos_b) for rows with layer_b = λ, else 0. [B, T, d] */
  const injection = (λ: number) => {
    const mask = g.op("Unsqueeze", [
      g.op("Cast", [g.op("Equal", [inj_layer, g.int64([λ], [])])], { to: 1 }),
      g.int64([1, 2]),
    ]); // [B, 1, 1]
    return g.op("Mul", [onehotPos, g.op("Mul", [vecs3, mask])]); // [B, T, d]
  };
  const scaleAt = (scales: string, l: number) =>
    g.op("Unsqueeze", [g.op("Gather", [scales, g.int64([l], [])], { axis: 0 }), g.int64([1])]); // [T, 1]

  // Logit targets enter at the final-norm output; pull them back through the frozen ln_final.
  let G = normAdjoint(
    g,
    c,
    g.weight("ln_f.w", model.ln_f.w.data, [d]),
    injection(L),
    g.op("Unsqueeze", [lnf_scale, g.int64([1])]),
  ); // [B, T, d]

  const decOut: string[] = new Array(L);
  const errOut: string[] = new Array(L);
  for (let l = L - 1; l >= 0; l--) {
    // Like circuit-tracer's backward, which starts at the highest layer in the batch: layers above
    // top_layer only pass a zero gradient through, so they are skipped (zero contractions).
    const skipped = () => {
      const B_ = g.op("Shape", [inj_pos]); // [1] = B
      const T_ = g.op("Slice", [g.op("Shape", [decVecs[l]!]), g.int64([0]), g.int64([1])]); // [1] = T
      const c_ = g.op("Slice", [g.op("Shape", [decVecs[l]!]), g.int64([2]), g.int64([3])]); // [1] = c_l
      const zeros = (dims: string[]) => g.op("ConstantOfShape", [g.op("Concat", dims, { axis: 0 })]);
      return [G, zeros([T_, B_, c_]), zeros([B_, T_, g.int64([1])])];
    };
    [G, decOut[l], errOut[l]] = g.ifElse(
      g.op("LessOrEqual", [g.int64([l], []), top_layer]),
      () => layerAdjoint(l, G),
      skipped,
      `layer${l}`,
    ) as [string, string, string];
  }

  /** One block in reverse (reference §2.12 steps 1–5): [G at resid_post] → [G at resid_pre, dec_l, err_l]. */
  function layerAdjoint(l: number, G: string): string[] {
    const layer = model.layers[l]!;
    const p = `layers.${l}`;
    // 1) MLP-output contractions at the output hook (through Gemma-2's frozen post-MLP norm when the
    //    hook sits before it). Rows are grouped by position, so one batched MatMul over positions
    //    contracts each row only with its own position's gradient: [T, B, d] @ [T, d, c_l].
    const g_out =
      layer.ln2_post && ln2_post_scale && set.feature_output_hook === "mlp.hook_out"
        ? normAdjoint(g, c, g.weight(`${p}.ln2_post.w`, layer.ln2_post.w.data, [d]), G, scaleAt(ln2_post_scale, l))
        : G; // [B, T, d]
    const dec = g.op("MatMul", [g.op("Transpose", [g_out], { perm: [1, 0, 2] }), decVecs[l]!]); // [T, B, c_l]
    const err_l = g.op("Gather", [errors, g.int64([l], [])], { axis: 0 }); // [T, d]
    const err = g.op("ReduceSum", [g.op("Mul", [g_out, err_l]), g.int64([2])], { keepdims: 1 }); // [B, T, 1]
    // 2) The replaced MLP keeps only its skip: g_x = G @ W_skipᵀ (W_skip in x @ W layout).
    const W_skip = set.layers[l]!.W_skip;
    let g_x = injection(l); // 3) targets reading at layer l
    if (W_skip)
      g_x = g.op("Add", [g_x, g.op("MatMul", [g_out, g.weight(`${p}.W_skip_T`, transpose2d(W_skip).data, [d, d])])]); // [B, T, d]
    // 4) From the read hook back to resid_mid.
    const hook = set.feature_input_hook;
    const s2 = scaleAt(ln2_scale, l);
    const g_mid =
      hook === "hook_resid_mid"
        ? g_x
        : normAdjoint(g, c, hook === "mlp.hook_in" ? g.weight(`${p}.ln2.w`, layer.ln2.w.data, [d]) : null, g_x, s2);
    G = g.op("Add", [G, g_mid]); // gradient at resid_mid [B, T, d]
    // 5) Attention with the frozen pattern: g_v = Pᵀ (g W_Oᵀ) per head, summed over each GQA group,
    //    where g is G pulled back through Gemma-2's frozen post-attention norm.
    const g_attn =
      layer.ln1_post && ln1_post_scale
        ? normAdjoint(g, c, g.weight(`${p}.ln1_post.w`, layer.ln1_post.w.data, [d]), G, scaleAt(ln1_post_scale, l))
        : G; // [B, T, d]
    const g_z = g.op("MatMul", [g_attn, g.weight(`${p}.W_O_T`, transpose2d(layer.W_O).data, [d, H * dh])]); // [B, T, H·dh]
    const g_zh = g.op("Reshape", [
      g.op("Transpose", [g.op("Reshape", [g_z, g.int64([0, 0, H, dh])])], { perm: [0, 2, 1, 3] }),
      g.int64([0, Hkv, -1, dh]),
    ]); // [B, Hkv, g·T, dh]
    const P_l = g.op("Gather", [patterns, g.int64([l], [])], { axis: 0 }); // [H, T, T]
    const P_T = g.op("Transpose", [g.op("Reshape", [P_l, g.int64([Hkv, -1, 0])])], { perm: [0, 2, 1] }); // [Hkv, T, g·T]
    const g_v = g.op("MatMul", [P_T, g_zh]); // [B, Hkv, T, dh]
    const g_vt = g.op("Reshape", [g.op("Transpose", [g_v], { perm: [0, 2, 1, 3] }), g.int64([0, 0, -1])]); // [B, T, Hkv·dh]
    const g_h = g.op("MatMul", [g_vt, g.weight(`${p}.W_V_T`, transpose2d(layer.W_V).data, [Hkv * dh, d])]); // [B, T, d]
    const g_pre = normAdjoint(g, c, g.weight(`${p}.ln1.w`, layer.ln1.w.data, [d]), g_h, scaleAt(ln1_scale, l)); // [B, T, d]
    return [g.op("Add", [G, g_pre]), dec, err]; // gradient at resid_pre[l]
  }
  // hook_embed: learned positions are added after it, so its gradient is G itself.
  const tokens = g.op("ReduceSum", [g.op("Mul", [G, token_vectors]), g.int64([2])], { keepdims: 0 }); // [B, T]
  decOut.forEach((v, l) => g.output(`dec_${l}`, v, "float", ["T", "B", `c_${l}`]));
  g.output(
    "errors_out",
    g.op(
      "Concat",
      errOut.map((e) => g.op("Transpose", [e], { perm: [0, 2, 1] })),
      { axis: 1 },
    ),
    "float",
    ["B", L, "T"],
  );
  g.output("tokens_out", tokens, "float", ["B", "T"]);
  return g.toBytes();
}
