import { z } from "zod";

// One entry of `nodes` (attribution-algorithm.md §4.3). This zod schema is the specification; the import hot
// path checks the same rules by hand in validate-node-json.ts (a test keeps the two in agreement), because
// zod per node is measurably slower than the JSON.parse it follows.

/** Decimal layer ("0", "27") or "E" for embeddings. circuit-tracer writes strings; other tools integers. */
export const LAYER_STRING_PATTERN = /^(?:E|0|[1-9][0-9]*)$/;

export const ZQkTracingResultsSchema = z.looseObject({
  pair_wise_contributors: z.array(z.tuple([z.string(), z.string(), z.number()])),
  top_q_marginal_contributors: z.array(z.tuple([z.string(), z.number()])),
  top_k_marginal_contributors: z.array(z.tuple([z.string(), z.number()])),
});

export const ZGraphNodeSchema = z.looseObject({
  node_id: z.string().min(1),
  // Cantor pair, layer*100000+index, plain index, -1 for errors, vocab id for logits (see feature-encoding.ts).
  // Optional although Neuronpedia requires it: the exporter writes null when it is missing.
  feature: z.int().nullable().optional(),
  // -1 is the embedding layer in OpenMOSS CRM files (read as "E", with a warning).
  layer: z.union([z.int().min(-1), z.string().regex(LAYER_STRING_PATTERN)]),
  ctx_idx: z.int().nonnegative(),
  feature_type: z.string(),
  // Optional here, filled in by the exporter (see default-js-node-id.ts). Not unique in real files.
  jsNodeId: z.string().optional(),
  clerp: z.string().optional(),
  // null on error/embedding/logit nodes (activation) and on logits (influence).
  influence: z.number().nullable().optional(),
  activation: z.number().nullable().optional(),
  token_prob: z.number().optional(),
  is_target_logit: z.boolean().optional(),
  run_idx: z.int().optional(),
  reverse_ctx_idx: z.int().optional(),
  qk_tracing_results: ZQkTracingResultsSchema.optional(),
});

export type TGraphNodeJson = z.infer<typeof ZGraphNodeSchema>;
