import { decoderRow, decoderSlots, type TranscoderSet } from "../../models/transcoder-set";
import type { AdjointSources } from "../adjoint-types";
import type { ForwardCache } from "../forward-cache";
import type { ActiveFeatures } from "./active-features";

/**
 * The source side of every attribution row (reference §2.3 step 3): decoder rows scaled by their
 * activation, grouped by the layer they write to (one per feature for PLTs, one per output layer
 * l' ≥ l for CLTs), plus the error and token vectors. `rowFeature[l][r]` maps decoder row r of
 * output layer l back to its active feature (circuit-tracer's encoder_to_decoder_map).
 */
export interface AttributionSources extends AdjointSources {
  rowFeature: Int32Array[]; // L arrays, [n_l]
}

export function buildAdjointSources(
  set: TranscoderSet,
  cache: ForwardCache,
  active: ActiveFeatures,
  errors: Float32Array,
): AttributionSources {
  const { n_layers: L, d_model: d } = set;
  const T = cache.n_tokens;
  const byLayer: { pos: number[]; feature: number[] }[] = Array.from({ length: L }, () => ({ pos: [], feature: [] }));
  for (let f = 0; f < active.layer.length; f++) {
    const l = active.layer[f]!;
    for (let slot = 0; slot < decoderSlots(set, l); slot++)
      (byLayer[l + slot]!.pos.push(active.pos[f]!), byLayer[l + slot]!.feature.push(f));
  }
  const decoderRows = byLayer.map((rows, out) => {
    const vecs = new Float32Array(rows.pos.length * d); // (n_l, d)
    rows.feature.forEach((f, r) => {
      const l = active.layer[f]!;
      const a = active.activation[f]!;
      const dec = decoderRow(set, l, active.index[f]!, out - l);
      for (let j = 0; j < d; j++) vecs[r * d + j] = a * dec[j]!;
    });
    return { pos: Int32Array.from(rows.pos), vecs };
  });
  const tokenVectors = new Float32Array(T * d); // (T, d)
  tokenVectors.set(cache.embed.subarray(0, T * d));
  return { decoderRows, errors, tokenVectors, rowFeature: byLayer.map((rows) => Int32Array.from(rows.feature)) };
}
