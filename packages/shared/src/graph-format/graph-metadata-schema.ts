import { z } from "zod";

// `metadata` of a graph file (attribution-algorithm.md §4.4, peer-platforms.md §8). Every object is loose:
// unknown keys are kept so an export round-trips them. Typed fields follow Neuronpedia's graph-schema.json,
// so anything accepted here also exports valid; the deviations real files need are commented.

const ZFeatureDetailsSchema = z.looseObject({
  feature_json_base_url: z.string().optional(),
  neuronpedia_source_set: z.string().optional(),
  neuronpedia_lorsa_source_set: z.string().optional(),
});

const ZGeneratorSchema = z.looseObject({
  name: z.string().optional(),
  version: z.string().optional(),
  url: z.string().optional(),
  email: z.string().optional(),
});

const ZInfoSchema = z.looseObject({
  description: z.string().optional(),
  creator_name: z.string().optional(),
  creator_url: z.string().optional(),
  source_urls: z.array(z.string()).optional(),
  generator: ZGeneratorSchema.optional(),
  create_time_ms: z.number().optional(),
  neuronpedia_link: z.string().optional(),
  neuronpedia_source_set: z.string().optional(),
});

// Settings are informational, and writers put null for "not set" (our gpu-worker writes
// `max_feature_nodes: null` when unlimited). Neuronpedia types them as numbers, so normaliseMetadata drops
// the nulls: absent is the exportable form of "not set".
const ZGenerationSettingsSchema = z.looseObject({
  max_n_logits: z.int().nullable().optional(),
  desired_logit_prob: z.number().nullable().optional(),
  batch_size: z.int().nullable().optional(),
  max_feature_nodes: z.int().nullable().optional(),
});

const ZPruningSettingsSchema = z.looseObject({
  node_threshold: z.number().nullable().optional(),
  edge_threshold: z.number().nullable().optional(),
});

export const ZGraphMetadataSchema = z.looseObject({
  // Required by Neuronpedia; optional here because the exporter can fill them in (slug/scan "", prompt from
  // the tokens). circuit-tracer writes `scan: null` when no transcoder id was given.
  slug: z.string().optional(),
  scan: z.string().nullable().optional(),
  prompt: z.string().optional(),
  // The one field nothing can be reconstructed from: positions index into it.
  prompt_tokens: z.array(z.string()),
  node_threshold: z.number().optional(),
  // Seen in the Neuronpedia featured file beside node_threshold, with a different value (fixtures README).
  nodeThreshold: z.number().optional(),
  // 1 = Cantor-paired `feature` values (circuit-tracer >= 0.2).
  schema_version: z.int().optional(),
  transcoder_list: z.array(z.string()).optional(),
  feature_details: ZFeatureDetailsSchema.optional(),
  info: ZInfoSchema.optional(),
  generation_settings: ZGenerationSettingsSchema.optional(),
  pruning_settings: ZPruningSettingsSchema.optional(),
});

export type TGraphMetadata = z.infer<typeof ZGraphMetadataSchema>;

function withoutNulls(settings: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (settings === undefined || !Object.values(settings).includes(null)) return settings;
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== null));
}

/**
 * The validated metadata object itself, or (only when a setting is null) a copy without the null settings.
 * The file's own object is kept where possible, so its key order survives into exports.
 */
export function normaliseMetadata(metadata: TGraphMetadata): TGraphMetadata {
  const generation = withoutNulls(metadata.generation_settings);
  const pruning = withoutNulls(metadata.pruning_settings);
  if (generation === metadata.generation_settings && pruning === metadata.pruning_settings) return metadata;
  return {
    ...metadata,
    ...(generation ? { generation_settings: generation } : {}),
    ...(pruning ? { pruning_settings: pruning } : {}),
  };
}

/**
 * The pruning threshold a viewer should start with. `node_threshold` is what Neuronpedia and circuit-tracer
 * read; the camelCase `nodeThreshold` some files also carry is a leftover and loses when both are present.
 */
export function getNodeThreshold(metadata: TGraphMetadata): number | null {
  return metadata.node_threshold ?? metadata.pruning_settings?.node_threshold ?? metadata.nodeThreshold ?? null;
}
