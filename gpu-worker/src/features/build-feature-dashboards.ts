import { ZERO_POSITIONS } from "../engine/attribution/active-features";
import type { ForwardCache, FloatArray } from "../engine/forward-cache";
import type { TranscoderPass } from "../engine/transcoder-pass";
import { applyActivation } from "../models/activation-function";
import type { ModelWeights } from "../models/model-weights";
import type { TranscoderSet } from "../models/transcoder-set";
import { cantorPair } from "@circuitboard/shared/graph-format";
import {
  roundForDisplay,
  type FeatureDashboard,
  type FeatureDashboardExample,
  type FeatureDashboardGroup,
} from "./feature-dashboard";
import { extremeEntries, featureLogitEffects, prepareLogitEffects } from "./feature-output-logits";
import {
  DEFAULT_DASHBOARD_SIZES,
  LayerFeatureStats,
  type DashboardSizes,
  type ExampleRef,
} from "./layer-feature-stats";
import { seededRandom } from "../util/seeded-random";

/**
 * Feature dashboards over a corpus, in two passes (the shape of SAELens / Neuronpedia's dashboard
 * runner, with bounded memory). Shape letters: L n_layers, W windows, T window tokens, F d_transcoder.
 *
 *   pass 1  every window: forward → transcoder pre-activations [L, T, F] → activations → the
 *           streaming per-layer statistics (layer-feature-stats.ts). Memory O(L · F), not O(W).
 *   pass 2  only the windows some example points at: forward again and read each example's context
 *           activations; then build and hand over one layer's records at a time. When all layers'
 *           contexts would not fit `memoryBudgetBytes`, layers are done in groups (one more sweep
 *           over the referenced windows per group).
 *   logits  top/bottom output logits from the decoder (feature-output-logits.ts).
 */
export interface FeatureActivationEngine {
  forward(tokens: number[]): Promise<ForwardCache>;
  transcoders(cache: ForwardCache): Promise<TranscoderPass>;
}

export interface DashboardOptions {
  sizes: DashboardSizes;
  contextBefore: number; // tokens shown before the example's token
  contextAfter: number; // and after it
  nLogits: number; // top and bottom logits kept
  seed: number; // reservoir sampling
  memoryBudgetBytes: number;
  onProgress?: (p: { phase: string; done: number; total: number }) => void;
  log?: (line: string) => void;
}

export const DEFAULT_DASHBOARD_OPTIONS: DashboardOptions = {
  sizes: DEFAULT_DASHBOARD_SIZES,
  contextBefore: 32,
  contextAfter: 8,
  nLogits: 10,
  seed: 1,
  memoryBudgetBytes: 512 * 2 ** 20,
};

export interface DashboardSummary {
  n_windows: number;
  n_tokens: number; // per layer: positions seen, BOS excluded
  layers: { layer: number; n_dead: number; mean_density: number }[];
}

/** Layer l's activations in one window, [T, F], with the BOS position zeroed (reference §1.8). */
export function layerActivations(set: TranscoderSet, pre: FloatArray, l: number, T: number): Float64Array {
  const F = set.d_transcoder;
  const a = new Float64Array(T * F); // (T, F)
  for (let p = ZERO_POSITIONS; p < T; p++) {
    const row = a.subarray(p * F, (p + 1) * F);
    row.set(pre.subarray((l * T + p) * F, (l * T + p + 1) * F));
    applyActivation(set.layers[l]!.activation, row);
  }
  return a;
}

export async function buildFeatureDashboards(
  engine: FeatureActivationEngine,
  model: ModelWeights,
  set: TranscoderSet,
  windows: number[][],
  tokenString: (id: number) => string,
  options: Partial<DashboardOptions>,
  writeLayer: (layer: number, records: FeatureDashboard[]) => void | Promise<void>,
): Promise<DashboardSummary> {
  const o = { ...DEFAULT_DASHBOARD_OPTIONS, ...options };
  const { n_layers: L, d_transcoder: F } = set;
  // Millions of context tokens share a vocabulary of thousands: decode each id once.
  const decoded = new Map<number, string>();
  const tokenStringOnce = (id: number) => decoded.get(id) ?? decoded.set(id, tokenString(id)).get(id)!;
  const log = o.log ?? (() => {});
  const progress = o.onProgress ?? (() => {});
  if (set.n_layers !== model.config.n_layers || set.d_model !== model.config.d_model) {
    throw new Error(
      `buildFeatureDashboards: transcoders (${set.n_layers} layers, d_model ${set.d_model}) do not fit the model (${model.config.n_layers} layers, d_model ${model.config.d_model})`,
    );
  }
  if (windows.length === 0)
    throw new Error("buildFeatureDashboards: the corpus gave no window (is it shorter than one window?)");

  // Pass 1: streaming statistics.
  const random = seededRandom(o.seed);
  const stats = Array.from({ length: L }, () => new LayerFeatureStats(F, o.sizes, random));
  let started = performance.now();
  for (let w = 0; w < windows.length; w++) {
    const tokens = windows[w]!;
    const pass = await engine.transcoders(await engine.forward(tokens));
    for (let l = 0; l < L; l++)
      stats[l]!.observeWindow(w, layerActivations(set, pass.pre, l, tokens.length), tokens.length);
    progress({ phase: "dashboards pass 1", done: w + 1, total: windows.length });
  }
  log(
    `pass 1: ${windows.length} windows × ${windows[0]!.length} tokens in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  // Pass 2: contexts of the chosen examples, then records, a group of layers at a time.
  const examplesPerFeature = o.sizes.topK + o.sizes.quantiles * o.sizes.perQuantile;
  const contextLength = o.contextBefore + o.contextAfter + 1;
  const bytesPerLayer = F * examplesPerFeature * contextLength * 48; // a number, an id and a short string per token
  const layersPerGroup = Math.max(1, Math.min(L, Math.floor(o.memoryBudgetBytes / bytesPerLayer)));
  const logitEffects = prepareLogitEffects(model);
  const summary: DashboardSummary = { n_windows: windows.length, n_tokens: stats[0]!.n_tokens, layers: [] };
  started = performance.now();
  for (let l0 = 0; l0 < L; l0 += layersPerGroup) {
    const group = Array.from({ length: Math.min(layersPerGroup, L - l0) }, (_, k) => l0 + k);
    const chosen = new Map<number, ChosenExamples[]>(); // layer → per feature
    const needed = new Map<
      number,
      { layer: number; feature: number; ref: ExampleRef; out: FeatureDashboardExample }[]
    >(); // window → examples
    for (const l of group) {
      const perFeature = Array.from({ length: F }, (_, i) => chooseExamples(stats[l]!, i));
      chosen.set(l, perFeature);
      for (const c of perFeature) {
        for (const g of c.groups)
          for (let k = 0; k < g.refs.length; k++) {
            const list = needed.get(g.refs[k]!.window) ?? [];
            list.push({ layer: l, feature: c.feature, ref: g.refs[k]!, out: g.examples[k]! });
            needed.set(g.refs[k]!.window, list);
          }
      }
    }
    const windowOrder = [...needed.keys()].sort((a, b) => a - b);
    for (let n = 0; n < windowOrder.length; n++) {
      const w = windowOrder[n]!;
      const tokens = windows[w]!;
      const T = tokens.length;
      const pass = await engine.transcoders(await engine.forward(tokens));
      const acts = new Map(group.map((l) => [l, layerActivations(set, pass.pre, l, T)]));
      for (const { layer, feature, ref, out } of needed.get(w)!)
        fillContext(out, ref, tokens, acts.get(layer)!, F, feature, o, tokenStringOnce);
      progress({
        phase: `dashboards pass 2 (layers ${group[0]}–${group[group.length - 1]})`,
        done: n + 1,
        total: windowOrder.length,
      });
    }
    for (const l of group) {
      const records = chosen
        .get(l)!
        .map((c, i) => buildRecord(set, stats[l]!, l, i, c, logitEffects, o.nLogits, tokenStringOnce));
      await writeLayer(l, records);
      const dead = records.filter((r) => r.n_active_tokens === 0).length;
      const meanDensity = records.reduce((s, r) => s + r.activation_frequency, 0) / F;
      summary.layers.push({ layer: l, n_dead: dead, mean_density: meanDensity });
      log(`layer ${l}: ${F - dead}/${F} features fired, mean density ${meanDensity.toExponential(3)}`);
    }
  }
  log(`pass 2 and records: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return summary;
}

interface ChosenExamples {
  feature: number;
  groups: { name: string; lo: number; refs: ExampleRef[]; examples: FeatureDashboardExample[] }[];
}

/** The top examples, then each non-empty interval from strong to weak, as empty example shells. */
function chooseExamples(s: LayerFeatureStats, i: number): ChosenExamples {
  const shell = (ref: ExampleRef, isRepeated: boolean): FeatureDashboardExample => ({
    tokens: [],
    tokens_acts_list: [],
    train_token_ind: 0,
    is_repeated_datapoint: isRepeated,
    token_ids: [],
    window: ref.window,
    window_pos: ref.pos,
  });
  const top = s.topExamples(i);
  const topWindows = new Set(top.map((e) => e.window));
  const groups: ChosenExamples["groups"] = [];
  if (top.length > 0)
    groups.push({
      name: "Top activations",
      lo: top[top.length - 1]!.act,
      refs: top,
      examples: top.map((r) => shell(r, false)),
    });
  if (s.hi[i]! > 0) {
    for (let q = s.sizes.quantiles - 1; q >= 0; q--) {
      const { lo, hi, examples } = s.intervalExamples(i, q);
      if (examples.length === 0) continue;
      groups.push({
        name: `Interval ${q + 1}/${s.sizes.quantiles}: [${roundForDisplay(lo)}, ${roundForDisplay(hi)})`,
        lo,
        refs: examples,
        examples: examples.map((r) => shell(r, topWindows.has(r.window))),
      });
    }
  }
  return { feature: i, groups };
}

/** The context [pos − before, pos + after] (clipped to the window, BOS left out) with this feature's activations. */
function fillContext(
  out: FeatureDashboardExample,
  ref: ExampleRef,
  tokens: number[],
  acts: Float64Array,
  F: number,
  feature: number,
  o: DashboardOptions,
  tokenString: (id: number) => string,
): void {
  const start = Math.max(ZERO_POSITIONS, ref.pos - o.contextBefore);
  const end = Math.min(tokens.length, ref.pos + o.contextAfter + 1);
  out.token_ids = tokens.slice(start, end);
  out.tokens = out.token_ids.map(tokenString);
  out.tokens_acts_list = Array.from({ length: end - start }, (_, k) =>
    roundForDisplay(acts[(start + k) * F + feature]!),
  );
  out.train_token_ind = ref.pos - start;
}

function buildRecord(
  set: TranscoderSet,
  s: LayerFeatureStats,
  l: number,
  i: number,
  c: ChosenExamples,
  logitEffects: ReturnType<typeof prepareLogitEffects>,
  nLogits: number,
  tokenString: (id: number) => string,
): FeatureDashboard {
  const n = s.count[i]!;
  const hist = s.histogram(i);
  const effects = featureLogitEffects(logitEffects, set, l, i);
  const top = extremeEntries(effects, nLogits, true);
  const bottom = extremeEntries(effects, nLogits, false);
  return {
    index: cantorPair(l, i),
    transcoder_id: set.scan,
    layer: l,
    feature: i,
    activation_frequency: s.n_tokens > 0 ? n / s.n_tokens : 0,
    n_active_tokens: n,
    n_tokens: s.n_tokens,
    act_min: n > 0 ? roundForDisplay(s.min[i]!) : 0,
    act_max: n > 0 ? roundForDisplay(s.max[i]!) : 0,
    act_mean: n > 0 ? roundForDisplay(s.sum[i]! / n) : 0,
    examples_quantiles: c.groups.map((g): FeatureDashboardGroup => ({ quantile_name: g.name, examples: g.examples })),
    quantile_values: c.groups.slice(1).map((g) => roundForDisplay(g.lo)),
    histogram: hist.counts,
    histogram_edges: hist.edges, // exact binary fractions (powers of two over B), left unrounded
    top_logits: top.map((e) => tokenString(e.id)),
    top_logit_ids: top.map((e) => e.id),
    top_logit_values: top.map((e) => roundForDisplay(e.value)),
    bottom_logits: bottom.map((e) => tokenString(e.id)),
    bottom_logit_ids: bottom.map((e) => e.id),
    bottom_logit_values: bottom.map((e) => roundForDisplay(e.value)),
  };
}
