import type { ModelWeights } from "../../models/model-weights";
import type { FloatArray } from "../forward-cache";

/**
 * Salient logit targets (reference §2.2): the smallest prefix of the most probable tokens whose
 * cumulative probability reaches `desiredLogitProb`, at most `maxNLogits`. Each target's vector is
 * the de-meaned unembedding column u_t = W_U[:, t] − mean_v W_U[:, v], injected at the final-norm
 * output, so a logit node's value is logit_t − mean(logits) (pre-softcap, minus bias terms).
 */
export interface LogitTarget {
  vocabIdx: number;
  prob: number; // raw softmax probability (not renormalised); the pruning weight
  vec: Float32Array; // [d]
}

export function selectLogitTargets(
  model: ModelWeights,
  logits: FloatArray,
  maxNLogits: number,
  desiredLogitProb: number,
): LogitTarget[] {
  const V = model.config.d_vocab;
  let max = -Infinity;
  for (let v = 0; v < V; v++) max = Math.max(max, logits[v]!);
  const probs = new Float64Array(V); // (V)
  let sum = 0;
  for (let v = 0; v < V; v++) sum += probs[v] = Math.exp(logits[v]! - max);
  for (let v = 0; v < V; v++) probs[v]! /= sum;
  const top = topIndices(probs, maxNLogits);
  let cumulative = 0;
  let k = top.length;
  for (let i = 0; i < top.length; i++) {
    cumulative += probs[top[i]!]!;
    if (cumulative >= desiredLogitProb) {
      k = i + 1;
      break;
    }
  }
  if (maxNLogits < 1) return [];
  const meanColumn = unembeddingMean(model); // (d)
  return top
    .slice(0, k)
    .map((vocabIdx) => ({ vocabIdx, prob: probs[vocabIdx]!, vec: deMeanedColumn(model, vocabIdx, meanColumn) }));
}

/** The k largest (descending; ties: lower index first), by one pass keeping a sorted top list. */
function topIndices(values: Float64Array, k: number): number[] {
  const top: number[] = [];
  const before = (a: number, b: number) => values[a]! > values[b]! || (values[a] === values[b] && a < b);
  for (let v = 0; v < values.length; v++) {
    if (top.length === k && !before(v, top[k - 1]!)) continue;
    let i = Math.min(top.length, k - 1);
    if (top.length < k) top.push(v);
    while (i > 0 && before(v, top[i - 1]!)) ((top[i] = top[i - 1]!), i--);
    top[i] = v;
  }
  return top;
}

/** mean_v W_U[:, v], [d]. */
function unembeddingMean(model: ModelWeights): Float64Array {
  if (model.unembedding) return model.unembedding.mean();
  const [d, V] = model.W_U.shape as [number, number];
  const mean = new Float64Array(d); // (d)
  for (let j = 0; j < d; j++) {
    let s = 0;
    for (let v = 0; v < V; v++) s += model.W_U.data[j * V + v]!;
    mean[j] = s / V;
  }
  return mean;
}

function deMeanedColumn(model: ModelWeights, t: number, mean: Float64Array): Float32Array {
  const [d, V] = model.W_U.shape as [number, number];
  const u = new Float32Array(d); // (d)
  if (model.unembedding) {
    const column = model.unembedding.column(t);
    for (let j = 0; j < d; j++) u[j] = column[j]! - mean[j]!;
    return u;
  }
  for (let j = 0; j < d; j++) u[j] = model.W_U.data[j * V + t]! - mean[j]!;
  return u;
}
