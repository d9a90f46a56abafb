import { ZERO_POSITIONS } from "../engine/attribution/active-features";
import { referenceForward, type ReferenceForwardResult } from "../engine/reference/reference-forward";
import { referenceTranscoderPass } from "../engine/reference/reference-transcoder-pass";
import { applyActivation } from "../models/activation-function";
import type { ModelWeights } from "../models/model-weights";
import { decoderRow, decoderSlots, type TranscoderSet } from "../models/transcoder-set";

/**
 * Feature interventions: clamp transcoder features at (layer, position) to new values and rerun the
 * model. Runs on the float64 reference forward (the only engine path that takes injected deltas).
 * Shape letters: L n_layers, T tokens, d d_model, F d_transcoder, V vocab.
 *
 * As circuit-tracer's feature_intervention does, a clamp never replaces the MLP: it adds
 * (value − a) · W_dec to the MLP output hook, where a is the feature's activation in the run being
 * intervened on, so the transcoder's error term and every other feature stay as they were. Modes:
 *
 *   "recomputed"        the real model throughout: attention, norms and MLPs respond to the change.
 *                       (circuit-tracer: freeze_attention=False.)
 *   "frozen-attention"  attention patterns and norm denominators held at their clean values, and
 *                       each MLP replaced by its transcoder plus the clean error: the local replacement
 *                       model the attribution graph describes (reference §1.7). Downstream features
 *                       respond through their activation function; attention and errors do not.
 *   "direct"            everything frozen, downstream MLP outputs included: only the clamped features'
 *                       own decoder changes travel, linearly. (circuit-tracer: constrained_layers =
 *                       all layers, "direct effects".) The logit changes equal the graph's direct edges.
 *
 * Note: circuit-tracer's default freeze_attention=True freezes the patterns only and runs the real
 * MLPs and norms; the reference forward freezes patterns, norms and MLP outputs together, so that
 * variant is not offered here.
 */
export type InterventionMode = "recomputed" | "frozen-attention" | "direct";

export interface FeatureClamp {
  layer: number;
  pos: number;
  feature: number;
  value: number; // 0 ablates
  /** Set: the feature is held at scale × its clean activation instead (steering by a factor); value is ignored. */
  scale?: number;
}

export interface InterventionResult {
  clean: ReferenceForwardResult;
  intervened: ReferenceForwardResult;
  /** The clamped features' activations in the clean run, in the order given. */
  cleanValues: number[];
  /**
   * Activations [T, F] of the intervened run at the layers it recomputed, clamps applied: every layer
   * from the first clamped one in "frozen-attention" mode, the clamped layers in "recomputed" mode,
   * none in "direct" mode.
   */
  activations: Map<number, Float64Array>;
}

export function checkClamps(set: TranscoderSet, T: number, clamps: FeatureClamp[]): void {
  const seen = new Set<string>();
  for (const c of clamps) {
    const where = `intervention ${c.layer}:${c.pos}:${c.feature}`;
    if (seen.has(where)) throw new Error(`${where}: given twice; clamp each (layer, position, feature) once`);
    seen.add(where);
    if (!(Number.isInteger(c.layer) && c.layer >= 0 && c.layer < set.n_layers))
      throw new Error(`${where}: layer must be in 0–${set.n_layers - 1}`);
    if (!(Number.isInteger(c.pos) && c.pos >= ZERO_POSITIONS && c.pos < T))
      throw new Error(
        `${where}: position must be in ${ZERO_POSITIONS}–${T - 1} (position 0 is BOS and has no features, reference §1.8)`,
      );
    if (!(Number.isInteger(c.feature) && c.feature >= 0 && c.feature < set.d_transcoder))
      throw new Error(`${where}: feature must be in 0–${set.d_transcoder - 1}`);
    if (!Number.isFinite(c.value)) throw new Error(`${where}: value must be a finite number, got ${c.value}`);
  }
}

/** The clean run and the run with every clamp held, logits at the last position. */
export function runIntervention(
  model: ModelWeights,
  set: TranscoderSet,
  tokens: number[],
  clamps: FeatureClamp[],
  mode: InterventionMode,
): InterventionResult {
  const T = tokens.length;
  checkClamps(set, T, clamps);
  const hooks = { inputHook: set.feature_input_hook, outputHook: set.feature_output_hook };
  const clean = referenceForward(model, tokens, hooks);
  const cleanActs = new Map<number, Float64Array>(); // layer → [T, F]
  const cleanAt = (l: number) => cleanActs.get(l) ?? cleanActs.set(l, layerActivations(set, clean, clean.x, l)).get(l)!;
  const cleanValues = clamps.map((c) => cleanAt(c.layer)[c.pos * set.d_transcoder + c.feature]!);
  // Scaled clamps become plain ones: k × the clean activation at that (layer, position, feature).
  clamps = clamps.map((c, k) => (c.scale === undefined ? c : { ...c, value: c.scale * cleanValues[k]! }));

  const frozen = mode === "recomputed" ? undefined : { cache: clean, W_skip: (l: number) => set.layers[l]!.W_skip };
  const run = (delta: Float64Array) =>
    referenceForward(model, tokens, { ...hooks, frozen, inject: { mlp_out: delta } });
  const delta = new Float64Array(model.config.n_layers * T * model.config.d_model); // (L, T, d) added at the MLP output hooks
  const byLayer = (l: number) => clamps.filter((c) => c.layer === l);
  const firstLayer = clamps.length > 0 ? Math.min(...clamps.map((c) => c.layer)) : set.n_layers;
  const activations = new Map<number, Float64Array>();

  for (let l = firstLayer; l < set.n_layers; l++) {
    const clampsHere = byLayer(l);
    if (mode === "direct") {
      // Δa = value − a_clean for the clamped features only; nothing downstream is recomputed.
      for (const c of clampsHere)
        addDecoder(
          delta,
          set,
          c.layer,
          c.pos,
          c.feature,
          c.value - cleanAt(l)[c.pos * set.d_transcoder + c.feature]!,
          T,
        );
    } else if (mode === "recomputed") {
      if (clampsHere.length === 0) continue;
      // This layer's input in the run with the earlier clamps held (delta only reaches later layers' inputs).
      const x = l === firstLayer ? clean.x : run(delta).x;
      const a = layerActivations(set, clean, x, l); // (T, F)
      for (const c of clampsHere) {
        addDecoder(delta, set, l, c.pos, c.feature, c.value - a[c.pos * set.d_transcoder + c.feature]!, T);
        a[c.pos * set.d_transcoder + c.feature] = c.value;
      }
      activations.set(l, a);
    } else {
      // Local replacement model: every feature of this layer is recomputed from the frozen run's input,
      // the clamped ones are set, and the whole change in activations is decoded (skip and error are
      // handled by the frozen forward: clean MLP output + skip(Δx)).
      const x = l === firstLayer ? clean.x : run(delta).x;
      const a = layerActivations(set, clean, x, l); // (T, F)
      for (const c of clampsHere) a[c.pos * set.d_transcoder + c.feature] = c.value;
      activations.set(l, a);
      const a0 = cleanAt(l);
      for (let k = 0; k < a.length; k++) {
        const change = a[k]! - a0[k]!;
        if (change !== 0) addDecoder(delta, set, l, Math.floor(k / set.d_transcoder), k % set.d_transcoder, change, T);
      }
    }
  }
  return { clean, intervened: run(delta), cleanValues, activations };
}

/** Layer l's activations from the transcoder inputs x [L, T, d] → [T, F], BOS zeroed (reference §1.8). */
function layerActivations(set: TranscoderSet, cache: ReferenceForwardResult, x: Float64Array, l: number): Float64Array {
  const T = cache.n_tokens,
    d = set.d_model,
    F = set.d_transcoder;
  // The engine's transcoder pass on a one-layer view of the set and of the cache.
  const x_l = x.subarray(l * T * d, (l + 1) * T * d); // (T, d)
  const { pre } = referenceTranscoderPass({ ...set, n_layers: 1, layers: [set.layers[l]!] }, { ...cache, x: x_l }); // (1, T, F)
  const a = new Float64Array(T * F); // (T, F)
  for (let p = ZERO_POSITIONS; p < T; p++) {
    const row = a.subarray(p * F, (p + 1) * F);
    row.set(pre.subarray(p * F, (p + 1) * F));
    applyActivation(set.layers[l]!.activation, row);
  }
  return a;
}

/** delta[l + slot, p] += change · W_dec[feature, slot] for every output layer of the feature. */
function addDecoder(
  delta: Float64Array,
  set: TranscoderSet,
  l: number,
  p: number,
  feature: number,
  change: number,
  T: number,
): void {
  const d = set.d_model;
  if (change === 0) return;
  for (let slot = 0; slot < decoderSlots(set, l); slot++) {
    const row = decoderRow(set, l, feature, slot); // (d)
    const at = ((l + slot) * T + p) * d;
    for (let j = 0; j < d; j++) delta[at + j]! += change * row[j]!;
  }
}

/** softmax(logits) and the k most probable tokens, ties by lower id. */
export function topTokens(logits: ArrayLike<number>, k: number): { id: number; logit: number; prob: number }[] {
  const probs = softmax(logits);
  return Array.from({ length: logits.length }, (_, id) => id)
    .sort((a, b) => probs[b]! - probs[a]! || a - b)
    .slice(0, k)
    .map((id) => ({ id, logit: logits[id]!, prob: probs[id]! }));
}

export function softmax(logits: ArrayLike<number>): Float64Array {
  let max = -Infinity;
  for (let v = 0; v < logits.length; v++) max = Math.max(max, logits[v]!);
  const p = new Float64Array(logits.length); // (V)
  let sum = 0;
  for (let v = 0; v < logits.length; v++) sum += p[v] = Math.exp(logits[v]! - max);
  for (let v = 0; v < logits.length; v++) p[v]! /= sum;
  return p;
}

/**
 * Greedy continuation of N tokens with the clamps held at their prompt positions; the clean
 * continuation is generated alongside. In the frozen modes the clean values frozen at each step are
 * those of the clean model on the intervened sequence so far (new positions have no other clean run).
 */
export function generateWithIntervention(
  model: ModelWeights,
  set: TranscoderSet,
  prompt: number[],
  clamps: FeatureClamp[],
  mode: InterventionMode,
  nTokens: number,
): { clean: number[]; intervened: number[] } {
  const clean = [...prompt],
    intervened = [...prompt];
  const argmax = (logits: ArrayLike<number>) => topTokens(logits, 1)[0]!.id;
  for (let n = 0; n < nTokens && intervened.length < model.config.n_ctx; n++) {
    clean.push(
      argmax(
        referenceForward(model, clean, { inputHook: set.feature_input_hook, outputHook: set.feature_output_hook })
          .logits,
      ),
    );
    intervened.push(argmax(runIntervention(model, set, intervened, clamps, mode).intervened.logits));
  }
  return { clean: clean.slice(prompt.length), intervened: intervened.slice(prompt.length) };
}
