/**
 * A feature across graphs: (model, transcoder set, layer, index), by the ids of graph-identity.ts as the
 * Graph row stores them (modelId, transcoderSet). The input schema every labels procedure takes.
 */
import { z } from "zod";

export const ZFeatureRefSchema = z.object({
  modelId: z.string().max(200, "modelId: at most 200 characters"),
  transcoderSetId: z.string().min(1, "transcoderSetId: required").max(200, "transcoderSetId: at most 200 characters"),
  layer: z.number().int().min(0).max(10_000),
  index: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1),
});
export type TFeature = z.infer<typeof ZFeatureRefSchema>;

/** The columns a Prisma `where` matches one feature by (Label and FeatureOccurrence share them). */
export function featureWhere(f: TFeature) {
  return { modelId: f.modelId, transcoderSetId: f.transcoderSetId, layer: f.layer, index: f.index };
}

/** The feature page's path (shared with the app's links). */
export { featurePagePath as featurePath } from "@circuitboard/shared/graph-format";
