/**
 * What a `dashboards` job completes with: the index of the parts it uploaded before (one per layer, or per
 * slice of a layer when a layer file exceeds the upload limit). It is circuit-tracer's `index.json.gz`
 * (gpu-worker/src/features/dashboard-files.ts) with each layer split into parts: part p of layer l holds
 * features [firstFeature, firstFeature + offsets.length - 1), feature f at bytes
 * [offsets[f - firstFeature], offsets[f - firstFeature + 1]) of the part, as a 4-byte little-endian length
 * then gzip JSON. So one feature is one range read of one blob.
 */
import { z } from "zod";

export const DASHBOARD_PART_NAME = /^layer_\d{1,4}(?:_part_\d{1,4})?\.bin$/;
export const MAX_DASHBOARD_FEATURES_PER_LAYER = 1 << 24;

export const ZDashboardPartSchema = z.object({
  name: z.string().regex(DASHBOARD_PART_NAME, "parts[].name: layer_{l}.bin or layer_{l}_part_{k}.bin"),
  firstFeature: z.int().min(0),
  offsets: z
    .array(z.int().min(0))
    .min(2, "parts[].offsets: at least one feature")
    .max(MAX_DASHBOARD_FEATURES_PER_LAYER),
});

export const ZDashboardManifestSchema = z.object({
  format: z.object({ name: z.literal("circuitboard-feature-dashboards"), version: z.literal(1) }),
  transcoderSetId: z.string().min(1).max(200),
  nLayers: z.int().min(1).max(1000),
  dTranscoder: z.int().min(1).max(MAX_DASHBOARD_FEATURES_PER_LAYER),
  layers: z
    .array(z.object({ layer: z.int().min(0).max(999), parts: z.array(ZDashboardPartSchema).min(1).max(4096) }))
    .min(1)
    .max(1000),
  /** dashboards.json's facts (corpus, windows, options, logit method…), shown as they are. */
  metadata: z.record(z.string(), z.unknown()).default({}),
});
export type TDashboardManifest = z.infer<typeof ZDashboardManifestSchema>;

/** Where feature `feature` of `layer` lies: the part's name and the byte range, or null outside the set. */
export function locateFeature(
  manifest: TDashboardManifest,
  layer: number,
  feature: number,
): { name: string; start: number; end: number } | null {
  const entry = manifest.layers.find((l) => l.layer === layer);
  for (const part of entry?.parts ?? []) {
    const i = feature - part.firstFeature;
    if (i >= 0 && i + 1 < part.offsets.length)
      return { name: part.name, start: part.offsets[i]!, end: part.offsets[i + 1]! };
  }
  return null;
}
