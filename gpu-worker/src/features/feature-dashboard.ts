/**
 * One feature's dashboard record. Its fields are those of the per-feature JSON the Anthropic /
 * circuit-tracer feature viewer reads (reference §4.8: transcoder_id, index, examples_quantiles,
 * top_logits, bottom_logits, act_min, act_max, quantile_values, histogram, activation_frequency),
 * which is a superset of Neuronpedia's feature-details schema, plus a few named extras (ids,
 * values, bin edges, counts) so the app needs no second lookup.
 */
export interface FeatureDashboardExample {
  tokens: string[]; // [C] decoded context tokens
  tokens_acts_list: number[]; // [C] this feature's activation at each context token
  train_token_ind: number; // index in `tokens` of the token the example was picked for
  is_repeated_datapoint: boolean; // an interval sample whose window is also a top example
  token_ids: number[]; // [C]
  window: number; // index of the corpus window
  window_pos: number; // position of train_token_ind within that window
}

export interface FeatureDashboardGroup {
  quantile_name: string; // "Top activations", then "Interval k: [lo, hi)" from strong to weak
  examples: FeatureDashboardExample[];
}

export interface FeatureDashboard {
  index: number; // cantorPair(layer, feature): the graph nodes' `feature` field (reference §4.3)
  transcoder_id: string; // the transcoder set's scan
  layer: number;
  feature: number;
  activation_frequency: number; // density: active tokens / tokens seen (BOS excluded)
  n_active_tokens: number;
  n_tokens: number;
  act_min: number; // over active tokens (0 when the feature never fired)
  act_max: number;
  act_mean: number; // mean over active tokens
  examples_quantiles: FeatureDashboardGroup[];
  quantile_values: number[]; // lower activation bound of each group after "Top activations"
  histogram: number[]; // [nBins] counts of active tokens; sums to n_active_tokens
  histogram_edges: number[]; // [nBins + 1] ascending bin edges
  top_logits: string[];
  top_logit_ids: number[];
  top_logit_values: number[];
  bottom_logits: string[];
  bottom_logit_ids: number[];
  bottom_logit_values: number[];
}

/** Five significant digits: what a dashboard shows, at a third of the JSON size of a float64. */
export function roundForDisplay(x: number): number {
  return x === 0 ? 0 : Number(x.toPrecision(5));
}
