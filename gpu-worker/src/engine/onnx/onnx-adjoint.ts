import * as ort from "onnxruntime-node";
import type { ModelWeights } from "../../models/model-weights";
import type { TranscoderSet } from "../../models/transcoder-set";
import type { AdjointRunner, AdjointSources } from "../adjoint-types";
import type { ForwardCache } from "../forward-cache";
import { buildAdjointGraph } from "./build-adjoint-graph";
import { createOnnxSession, type DeviceChoice, type ExecutionProviderName } from "./create-onnx-session";
import { EXTERNAL_DATA_THRESHOLD_BYTES, materializeGraph } from "./materialize-graph";

/**
 * The adjoint pass on onnxruntime. The graph is built once per (model, transcoder set); per prompt
 * the frozen caches and source vectors are bound once as tensors and reused by every batch.
 */
export interface OnnxAdjoint {
  provider: ExecutionProviderName;
  prepare(cache: ForwardCache, sources: AdjointSources): AdjointRunner;
  dispose(): Promise<void>;
}

export async function createOnnxAdjoint(
  model: ModelWeights,
  set: TranscoderSet,
  device: DeviceChoice,
  log?: (line: string) => void,
  useExternalData?: boolean,
): Promise<OnnxAdjoint> {
  // The adjoint holds W_O, W_V, norm and skip weights only: about (2 + skip) d² per layer.
  const { d_model: d, n_layers: L, n_heads: H } = model.config;
  const external =
    useExternalData ?? 4 * L * (2 * d * d + (set.layers[0]!.W_skip ? d * d : 0)) > EXTERNAL_DATA_THRESHOLD_BYTES;
  const graph = materializeGraph("adjoint", external, (path) => buildAdjointGraph(model, set, path));
  const { session, provider } = await createOnnxSession(graph.source, device, log).finally(() => graph.cleanup());
  const f32 = (data: ArrayLike<number>, dims: number[]) =>
    new ort.Tensor("float32", data instanceof Float32Array ? data : Float32Array.from(data), dims);
  const i64 = (data: ArrayLike<number>) =>
    new ort.Tensor("int64", BigInt64Array.from(Array.from(data, (v) => BigInt(v))), [data.length]);
  return {
    provider,
    prepare(cache, sources) {
      const T = cache.n_tokens;
      const hasPost = model.config.post_norms;
      // Group each layer's decoder rows by position into [T, d, c] (c = most rows at one position,
      // at least 1: zero-sized dimensions are fragile across providers). Row r sits at (pos_r, slot_r).
      const slots = sources.decoderRows.map((rows) => {
        const n = rows.pos.length;
        const perPos = new Int32Array(T);
        const slot = new Int32Array(n);
        for (let r = 0; r < n; r++) slot[r] = perPos[rows.pos[r]!]!++;
        const c = Math.max(1, ...perPos);
        const grouped = new Float32Array(T * d * c); // (T, d, c)
        const rowAt = new Int32Array(T * c).fill(-1); // (T, c) → decoder row
        for (let r = 0; r < n; r++) {
          const p = rows.pos[r]!;
          rowAt[p * c + slot[r]!] = r;
          for (let j = 0; j < d; j++) grouped[(p * d + j) * c + slot[r]!] = rows.vecs[r * d + j]!;
        }
        return { c, slot, grouped, rowAt };
      });
      /**
       * Inputs restricted to the first t positions. Causal attention makes that prefix a closed
       * system: no target at a position < t depends on anything after it, so a batch whose targets
       * all sit before t runs on t tokens only. The full length and the latest prefix are kept:
       * prefixes of a long prompt are large (patterns grow as t²), and sorted batches reuse the last.
       */
      const prefixCache = new Map<number, Record<string, ort.Tensor>>();
      const prefixInputs = (t: number): Record<string, ort.Tensor> => {
        let inputs = prefixCache.get(t);
        if (inputs) return inputs;
        for (const key of prefixCache.keys()) if (key !== T) prefixCache.delete(key);
        const perLayer = (a: ArrayLike<number>, width: number) => {
          const out = new Float32Array(L * t * width); // (L, t, width) from (L, T, width)
          for (let l = 0; l < L; l++)
            out.set((a as Float32Array).subarray(l * T * width, (l * T + t) * width), l * t * width);
          return out;
        };
        const patterns = new Float32Array(L * H * t * t); // (L, H, t, t) from (L, H, T, T)
        for (let lh = 0; lh < L * H; lh++)
          for (let q = 0; q < t; q++)
            patterns.set(
              (cache.patterns as Float32Array).subarray((lh * T + q) * T, (lh * T + q) * T + t),
              (lh * t + q) * t,
            );
        inputs = {
          patterns: f32(patterns, [L, H, t, t]),
          ln1_scale: f32(perLayer(cache.ln1_scale, 1), [L, t]),
          ln2_scale: f32(perLayer(cache.ln2_scale, 1), [L, t]),
          lnf_scale: f32(cache.lnf_scale.subarray(0, t), [t]),
          ...(hasPost
            ? {
                ln1_post_scale: f32(perLayer(cache.ln1_post_scale, 1), [L, t]),
                ln2_post_scale: f32(perLayer(cache.ln2_post_scale, 1), [L, t]),
              }
            : {}),
          errors: f32(perLayer(sources.errors, d), [L, t, d]),
          token_vectors: f32(sources.tokenVectors.subarray(0, t * d), [t, d]),
        };
        slots.forEach(
          ({ c, grouped }, l) => (inputs![`dec_vecs_${l}`] = f32(grouped.subarray(0, t * d * c), [t, d, c])),
        );
        prefixCache.set(t, inputs);
        return inputs;
      };
      return {
        async run(batch) {
          const B = batch.layer.length;
          const t = Math.max(...batch.pos) + 1; // positions the batch can see
          const top = Math.max(...batch.layer); // highest layer the gradient starts from
          const out = await session.run({
            ...prefixInputs(t),
            inj_layer: i64(batch.layer),
            inj_pos: i64(batch.pos),
            inj_vecs: f32(batch.vecs, [B, d]),
            top_layer: new ort.Tensor("int64", BigInt64Array.from([BigInt(top)]), []),
          });
          // Back to full length T; everything at positions ≥ t is zero by causality.
          const decoderBySlot = slots.map(({ c, rowAt }, l) => ({
            data: out[`dec_${l}`]!.data as Float32Array, // (t, B, c)
            t,
            c,
            rowAt,
          }));
          // (B, n_l) per layer, built only when asked for (computeRows reads decoderBySlot).
          let decoder: Float32Array[] | null = null;
          const decoderRows = () =>
            sources.decoderRows.map((rows, l) => {
              const { c, slot } = slots[l]!;
              const grouped = decoderBySlot[l]!.data;
              const n = rows.pos.length;
              const R = new Float32Array(B * n); // (B, n_l)
              for (let r = 0; r < n; r++) {
                const p = rows.pos[r]!;
                if (p < t) for (let b = 0; b < B; b++) R[b * n + r] = grouped[(p * B + b) * c + slot[r]!]!;
              }
              return R;
            });
          const errorsPrefix = out.errors_out!.data as Float32Array; // (B, L, t)
          const tokensPrefix = out.tokens_out!.data as Float32Array; // (B, t)
          const errors = new Float32Array(B * L * T); // (B, L, T)
          const tokens = new Float32Array(B * T); // (B, T)
          for (let bl = 0; bl < B * L; bl++) errors.set(errorsPrefix.subarray(bl * t, (bl + 1) * t), bl * T);
          for (let b = 0; b < B; b++) tokens.set(tokensPrefix.subarray(b * t, (b + 1) * t), b * T);
          return {
            get decoder() {
              return (decoder ??= decoderRows());
            },
            decoderBySlot,
            errors,
            tokens,
          };
        },
        dispose: async () => prefixCache.clear(),
      };
    },
    dispose: () => session.release(),
  };
}
