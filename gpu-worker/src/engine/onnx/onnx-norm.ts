import type { ModelConfig } from "../../models/model-config";
import type { NormWeights } from "../../models/model-weights";
import type { OnnxGraphBuilder } from "./onnx-graph-builder";

/**
 * LayerNorm / RMSNorm over the last axis, written out so the denominator s is a value we can
 * return (the linearised model freezes it). x: [..., n] → { y, normalized = c(x)/s, scale: [..., 1] }.
 */
export function normForward(g: OnnxGraphBuilder, c: ModelConfig, w: NormWeights, x: string, prefix: string) {
  const n = w.w.shape[0]!;
  const centred = c.norm === "layernorm" ? g.op("Sub", [x, g.op("ReduceMean", [x], { axes: [-1], keepdims: 1 })]) : x; // [..., n]
  const meanSquare = g.op("ReduceMean", [g.op("Mul", [centred, centred])], { axes: [-1], keepdims: 1 }); // [..., 1]
  const scale = g.op("Sqrt", [g.op("Add", [meanSquare, g.float([c.norm_eps])])], {}, `${prefix}_scale`); // [..., 1]
  const normalized = g.op("Div", [centred, scale]); // [..., n]
  let y = g.op("Mul", [normalized, g.weight(`${prefix}.w`, w.w.data, [n])]);
  if (w.b) y = g.op("Add", [y, g.weight(`${prefix}.b`, w.b.data, [n])]);
  return { y, normalized, scale };
}

/**
 * Adjoint of the frozen norm (reference §2.12): g_x = cᵀ(w ⊙ g) / s. `scale` must broadcast
 * against g ([T, 1] against [B, T, d]); `weightName` null gives the hook_normalized adjoint.
 */
export function normAdjoint(
  g: OnnxGraphBuilder,
  c: ModelConfig,
  weightName: string | null,
  grad: string,
  scale: string,
): string {
  const weighted = weightName ? g.op("Mul", [grad, weightName]) : grad; // [B, T, d]
  const centred =
    c.norm === "layernorm"
      ? g.op("Sub", [weighted, g.op("ReduceMean", [weighted], { axes: [-1], keepdims: 1 })])
      : weighted;
  return g.op("Div", [centred, scale]); // [B, T, d]
}
