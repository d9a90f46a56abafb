/**
 * A dashboard record as the route returns it: the worker's FeatureDashboard
 * (gpu-worker/src/features/feature-dashboard.ts) or an imported Neuronpedia feature-details record, which
 * has only `index`, `examples_quantiles`, and the logits: every other field may be missing.
 */
export interface DashboardExample {
  tokens: string[];
  tokens_acts_list: number[];
  train_token_ind?: number;
}

export interface DashboardRecord {
  index: number;
  layer?: number;
  feature?: number;
  examples_quantiles: { quantile_name: string; examples: DashboardExample[] }[];
  top_logits?: string[];
  top_logit_values?: number[];
  bottom_logits?: string[];
  bottom_logit_values?: number[];
  activation_frequency?: number;
  n_active_tokens?: number;
  n_tokens?: number;
  act_min?: number;
  act_max?: number;
  act_mean?: number;
  histogram?: number[];
  histogram_edges?: number[];
  source?: string;
}

export const TOP_GROUP = "Top activations";

/** The top examples (the "Top activations" group, else the first), and the other groups: interval samples. */
export function splitGroups(r: DashboardRecord) {
  const groups = r.examples_quantiles.filter((g) => g.examples.length > 0);
  const top = groups.find((g) => g.quantile_name === TOP_GROUP) ?? groups[0] ?? null;
  return { top, quantiles: groups.filter((g) => g !== top) };
}

/** Whether the feature ever fired on the corpus (a record without counts: whether it has examples). */
export function hasActivations(r: DashboardRecord): boolean {
  if (r.n_active_tokens !== undefined) return r.n_active_tokens > 0;
  return r.examples_quantiles.some((g) => g.examples.some((e) => e.tokens_acts_list.some((a) => a !== 0)));
}
