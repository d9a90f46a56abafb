import type { ModelWeights } from "../models/model-weights";
import { decoderRow, decoderSlots, type TranscoderSet } from "../models/transcoder-set";

/**
 * A feature's direct effect on the logits, for the dashboards' top/bottom logits ("Token
 * Predictions"). Shape letters: d d_model, V vocab, F d_transcoder.
 *
 * Choice (the dashboards of Neuronpedia/SAELens read W_dec @ W_U of a TransformerLens model with the
 * final norm folded in, i.e. the norm weight multiplied into W_U): the decoder vector goes through the
 * final norm with its denominator treated as a constant, as attribution's linearisation does
 * (reference §1.7), and the positive 1/scale is dropped because it only rescales every logit:
 *
 *   effect[v] = Σ_j c(w_dec)_j · γ_j · W_U[j, v]
 *
 * with γ the final norm's weight (Gemma's 1 + w already folded by the loader) and c the norm's
 * centring (w − mean(w) for LayerNorm, identity for RMSNorm). Biases and the softcap are left out
 * (constants / monotone). For cross-layer transcoders w_dec is the sum of the decoder vectors over
 * all output layers, since every one of them lands in the residual stream the unembedding reads.
 */
export interface LogitEffects {
  /** (γ ⊙ W_U), [d, V] float32, computed once per model. */
  W_U_scaled: Float32Array;
  d: number;
  V: number;
  isCentred: boolean;
}

export function prepareLogitEffects(model: ModelWeights): LogitEffects {
  const [d, V] = model.W_U.shape as [number, number];
  const gamma = model.ln_f.w.data; // [d]
  const W_U_scaled = new Float32Array(d * V); // (d, V)
  for (let j = 0; j < d; j++)
    for (let v = 0; v < V; v++) W_U_scaled[j * V + v] = gamma[j]! * model.W_U.data[j * V + v]!;
  return { W_U_scaled, d, V, isCentred: model.config.norm === "layernorm" };
}

/** The feature's decoder direction in the residual stream, [d]: Σ over output slots, centred for LayerNorm. */
export function residualDecoder(set: TranscoderSet, layer: number, feature: number, isCentred: boolean): Float64Array {
  const d = set.d_model;
  const w = new Float64Array(d); // (d)
  for (let slot = 0; slot < decoderSlots(set, layer); slot++) {
    const row = decoderRow(set, layer, feature, slot);
    for (let j = 0; j < d; j++) w[j]! += row[j]!;
  }
  if (isCentred) {
    let mean = 0;
    for (let j = 0; j < d; j++) mean += w[j]!;
    mean /= d;
    for (let j = 0; j < d; j++) w[j]! -= mean;
  }
  return w;
}

/** effect = c(w_dec) @ (γ ⊙ W_U), [V]. */
export function featureLogitEffects(e: LogitEffects, set: TranscoderSet, layer: number, feature: number): Float64Array {
  const w = residualDecoder(set, layer, feature, e.isCentred); // (d)
  const { d, V, W_U_scaled } = e;
  const effect = new Float64Array(V); // (V)
  for (let j = 0; j < d; j++) {
    const wj = w[j]!;
    if (wj === 0) continue;
    const row = j * V;
    for (let v = 0; v < V; v++) effect[v]! += wj * W_U_scaled[row + v]!;
  }
  return effect;
}

/** The n largest (or smallest) entries as (id, value), ties broken by the lower id. */
export function extremeEntries(values: Float64Array, n: number, isLargest: boolean): { id: number; value: number }[] {
  const sign = isLargest ? 1 : -1;
  const best: { id: number; value: number }[] = [];
  for (let v = 0; v < values.length; v++) {
    const x = sign * values[v]!;
    if (best.length === n && !(x > sign * best[n - 1]!.value)) continue;
    let k = best.length === n ? n - 1 : best.length;
    if (best.length < n) best.push({ id: v, value: values[v]! });
    while (k > 0 && sign * best[k - 1]!.value < x) ((best[k] = best[k - 1]!), k--);
    best[k] = { id: v, value: values[v]! };
  }
  return best;
}
