import * as ort from "onnxruntime-node";
import { transpose2d } from "../../models/tensor";
import type { TranscoderSet } from "../../models/transcoder-set";
import type { FloatArray } from "../forward-cache";
import type { TranscoderPass } from "../transcoder-pass";
import { createOnnxSession, type DeviceChoice } from "./create-onnx-session";
import { EXTERNAL_DATA_THRESHOLD_BYTES, materializeGraph } from "./materialize-graph";
import { OnnxGraphBuilder } from "./onnx-graph-builder";

/**
 * Phase 0's dense work on onnxruntime: x [L, T, d] → pre [L, T, F] (and skip [L, T, d]).
 * For Gemma-2-2B-sized sets (26 × 16384 × 2304) this is ~10⁹ multiply-adds per token, far too
 * slow in plain JavaScript. Shape letters: L n_layers, T tokens, d d_model, F d_transcoder.
 */
export interface OnnxTranscoderPass {
  run(x: FloatArray, n_tokens: number): Promise<TranscoderPass>;
  dispose(): Promise<void>;
}

export function buildTranscoderPassGraph(set: TranscoderSet, externalDataPath: string | null = null): Uint8Array {
  const { n_layers: L, d_model: d, d_transcoder: F } = set;
  const g = new OnnxGraphBuilder("circuitboard_transcoders", externalDataPath);
  const x = g.input("x", "float", [L, "T", d]);
  const hasSkip = set.layers.some((tc) => tc.W_skip);
  const pres: string[] = [],
    skips: string[] = [];
  set.layers.forEach((tc, l) => {
    const x_l = g.op("Gather", [x, g.int64([l], [])], { axis: 0 }); // [T, d]
    const W_enc_T = g.weight(`layers.${l}.W_enc_T`, transpose2d(tc.W_enc).data, [d, F]); // [d, F]
    const pre = g.op("Add", [g.op("MatMul", [x_l, W_enc_T]), g.weight(`layers.${l}.b_enc`, tc.b_enc.data, [F])]); // [T, F]
    pres.push(g.op("Unsqueeze", [pre, g.int64([0])]));
    if (hasSkip) {
      const skip = tc.W_skip
        ? g.op("MatMul", [x_l, g.weight(`layers.${l}.W_skip`, tc.W_skip.data, [d, d])])
        : g.op("Mul", [x_l, g.float([0])]); // [T, d]
      skips.push(g.op("Unsqueeze", [skip, g.int64([0])]));
    }
  });
  g.output("pre", g.op("Concat", pres, { axis: 0 }), "float", [L, "T", F]);
  if (hasSkip) g.output("skip", g.op("Concat", skips, { axis: 0 }), "float", [L, "T", d]);
  return g.toBytes();
}

export async function createOnnxTranscoderPass(
  set: TranscoderSet,
  device: DeviceChoice,
  log?: (line: string) => void,
  useExternalData?: boolean,
): Promise<OnnxTranscoderPass> {
  const { n_layers: L, d_model: d, d_transcoder: F } = set;
  const external = useExternalData ?? 4 * L * (F * d + d * d) > EXTERNAL_DATA_THRESHOLD_BYTES;
  const graph = materializeGraph("transcoders", external, (path) => buildTranscoderPassGraph(set, path));
  const { session } = await createOnnxSession(graph.source, device, log).finally(() => graph.cleanup());
  const hasSkip = set.layers.some((tc) => tc.W_skip);
  return {
    async run(x, T) {
      const input = x instanceof Float32Array ? x : Float32Array.from(x);
      const out = await session.run({ x: new ort.Tensor("float32", input, [L, T, d]) });
      return { pre: out.pre!.data as Float32Array, skip: hasSkip ? (out.skip!.data as Float32Array) : null };
    },
    dispose: () => session.release(),
  };
}
