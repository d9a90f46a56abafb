import * as ort from "onnxruntime-node";
import type { ModelWeights } from "../../models/model-weights";
import type { TranscoderSet } from "../../models/transcoder-set";
import type { AdjointRunner, AdjointSources } from "../adjoint-types";
import type { ForwardCache } from "../forward-cache";
import { buildAdjointGraph } from "./build-adjoint-graph";
import { createOnnxSession, type DeviceChoice } from "./create-onnx-session";
import { EXTERNAL_DATA_THRESHOLD_BYTES, materializeGraph } from "./materialize-graph";

/**
 * The adjoint pass on onnxruntime. The graph is built once per (model, transcoder set); per prompt
 * the frozen caches and source vectors are bound once as tensors and reused by every batch.
 */
export interface OnnxAdjoint {
  provider: "cpu" | "cuda";
  prepare(cache: ForwardCache, sources: AdjointSources): AdjointRunner;
  dispose(): Promise<void>;
}

export async function createOnnxAdjoint(model: ModelWeights, set: TranscoderSet, device: DeviceChoice, log?: (line: string) => void, useExternalData?: boolean): Promise<OnnxAdjoint> {
  // The adjoint holds W_O, W_V, norm and skip weights only: about (2 + skip) d² per layer.
  const { d_model: d, n_layers: L, n_heads: H } = model.config;
  const external = useExternalData ?? 4 * L * (2 * d * d + (set.layers[0]!.W_skip ? d * d : 0)) > EXTERNAL_DATA_THRESHOLD_BYTES;
  const graph = materializeGraph("adjoint", external, (path) => buildAdjointGraph(model, set, path));
  const { session, provider } = await createOnnxSession(graph.source, device, log).finally(() => graph.cleanup());
  const f32 = (data: ArrayLike<number>, dims: number[]) => new ort.Tensor("float32", data instanceof Float32Array ? data : Float32Array.from(data), dims);
  const i64 = (data: ArrayLike<number>) => new ort.Tensor("int64", BigInt64Array.from(Array.from(data, (v) => BigInt(v))), [data.length]);
  return {
    provider,
    prepare(cache, sources) {
      const T = cache.n_tokens;
      const fixed: Record<string, ort.Tensor> = {
        patterns: f32(cache.patterns, [L, H, T, T]),
        ln1_scale: f32(cache.ln1_scale, [L, T]),
        ln2_scale: f32(cache.ln2_scale, [L, T]),
        lnf_scale: f32(cache.lnf_scale, [T]),
        ...(model.config.post_norms ? { ln1_post_scale: f32(cache.ln1_post_scale, [L, T]), ln2_post_scale: f32(cache.ln2_post_scale, [L, T]) } : {}),
        errors: f32(sources.errors, [L, T, d]),
        token_vectors: f32(sources.tokenVectors, [T, d]),
      };
      // Layers with no decoder rows get one zero row: zero-sized dimensions are fragile across providers.
      const counts = sources.decoderRows.map((r) => r.pos.length);
      sources.decoderRows.forEach((rows, l) => {
        const n = Math.max(1, rows.pos.length);
        fixed[`dec_vecs_${l}`] = f32(rows.pos.length ? rows.vecs : new Float32Array(d), [n, d]);
        fixed[`dec_pos_${l}`] = i64(rows.pos.length ? rows.pos : [0]);
      });
      return {
        async run(batch) {
          const B = batch.layer.length;
          const out = await session.run({ ...fixed, inj_layer: i64(batch.layer), inj_pos: i64(batch.pos), inj_vecs: f32(batch.vecs, [B, d]) });
          const decoder = counts.map((n, l) => {
            const all = out[`dec_${l}`]!.data as Float32Array; // [B, max(1, n)]
            return n > 0 ? all : new Float32Array(0);
          });
          return { decoder, errors: out.errors_out!.data as Float32Array, tokens: out.tokens_out!.data as Float32Array };
        },
        dispose: async () => {},
      };
    },
    dispose: () => session.release(),
  };
}
