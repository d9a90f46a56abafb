/**
 * Imports Neuronpedia feature-details JSON (fixtures/schemas/neuronpedia__feature-details-schema.json:
 * `index`, `examples_quantiles[{quantile_name, examples[{tokens, tokens_acts_list}]}]`, `top_logits`,
 * `bottom_logits`, plus the optional circuit-tracer extras) for a transcoder set nobody here computes. Each
 * feature is stored in the computed layout's record form, one blob per feature, so the dashboard route
 * serves imported and computed features alike. Re-importing a feature replaces it (and its version).
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { assertMayImportFeatureDashboards } from "../../authz/feature-dashboard-access";
import type { Actor } from "../../authz/actor";
import type { Db } from "../../db/client";
import { AppError } from "../../errors";
import type { BlobStore } from "../../storage/blob-store";
import { cantorUnpair } from "@circuitboard/shared/graph-format/cantor-pairing";
import { importedFeatureKey } from "./dashboard-keys";
import { encodeDashboardRecord } from "./dashboard-record";

export const MAX_IMPORT_FEATURES = 500;
const MAX_CONTEXT_TOKENS = 1024;

const ZExampleSchema = z
  .object({
    tokens: z.array(z.string().max(200)).max(MAX_CONTEXT_TOKENS),
    tokens_acts_list: z.array(z.number()).max(MAX_CONTEXT_TOKENS),
    train_token_ind: z.int().min(0).optional(),
  })
  .refine((e) => e.tokens.length === e.tokens_acts_list.length, "tokens and tokens_acts_list differ in length");

export const ZNeuronpediaFeatureDetailsSchema = z.object({
  index: z.int().min(0),
  examples_quantiles: z
    .array(z.object({ quantile_name: z.string().max(200), examples: z.array(ZExampleSchema).max(200) }))
    .max(64),
  top_logits: z.array(z.string().max(200)).max(200).default([]),
  bottom_logits: z.array(z.string().max(200)).max(200).default([]),
  top_logit_values: z.array(z.number()).max(200).optional(),
  bottom_logit_values: z.array(z.number()).max(200).optional(),
  activation_frequency: z.number().min(0).max(1).optional(),
  act_min: z.number().optional(),
  act_max: z.number().optional(),
  quantile_values: z.array(z.number()).max(64).optional(),
  histogram: z.array(z.number().min(0)).max(1024).optional(),
  histogram_edges: z.array(z.number()).max(1025).optional(),
});
export type TNeuronpediaFeatureDetails = z.infer<typeof ZNeuronpediaFeatureDetailsSchema>;

export const ZImportDashboardsInputSchema = z.object({
  modelId: z.string().min(1, "modelId: required").max(120),
  transcoderSetId: z.string().min(1, "transcoderSetId: required").max(200),
  /** When given, each `index` is the feature's index within this layer; else the Cantor pair (layer, index). */
  layer: z.int().min(0).max(999).optional(),
  features: z
    .array(ZNeuronpediaFeatureDetailsSchema)
    .min(1, "features: at least one")
    .max(MAX_IMPORT_FEATURES, `features: at most ${MAX_IMPORT_FEATURES} per import`),
});
export type TImportDashboardsInput = z.infer<typeof ZImportDashboardsInputSchema>;

export async function importNeuronpediaDashboards(
  db: Db,
  store: BlobStore,
  o: { actor: Actor } & TImportDashboardsInput,
): Promise<{ setId: string; imported: number }> {
  await assertMayImportFeatureDashboards(db, o.actor);
  const set =
    (await db.featureDashboardSet.findFirst({
      where: { modelId: o.modelId, transcoderSetId: o.transcoderSetId, source: "neuronpedia" },
    })) ??
    (await db.featureDashboardSet.create({
      data: {
        id: `np-${randomBytes(12).toString("base64url")}`,
        modelId: o.modelId,
        transcoderSetId: o.transcoderSetId,
        source: "neuronpedia",
      },
    }));
  const located = o.features.map((details, i) => {
    const { layer, index: feature } =
      o.layer !== undefined ? { layer: o.layer, index: details.index } : cantorUnpair(details.index);
    if (layer > 999)
      throw new AppError("BAD_REQUEST", `features[${i}].index: layer ${layer} (from the Cantor pair) is out of range`, {
        path: `features[${i}].index`,
      });
    return { layer, feature, details };
  });
  for (const { layer, feature, details } of located) {
    const record = { ...details, layer, feature, transcoder_id: o.transcoderSetId, source: "neuronpedia" };
    const body = await encodeDashboardRecord(JSON.stringify(record));
    const blobKey = importedFeatureKey(set.id, layer, feature);
    await store.put(blobKey, body, "application/octet-stream");
    const data = { blobKey, sizeBytes: body.byteLength, createdAt: new Date() };
    await db.importedFeatureDashboard.upsert({
      where: { setId_layer_feature: { setId: set.id, layer, feature } },
      create: { setId: set.id, layer, feature, ...data },
      update: data,
    });
  }
  return { setId: set.id, imported: located.length };
}
