/** The dashboard route's URL for one feature (server/http/feature-dashboard-route.ts answers it). */
export interface FeatureRef {
  modelId: string;
  transcoderSetId: string;
  layer: number;
  index: number;
}

export function featureDashboardUrl(f: FeatureRef): string {
  const q = new URLSearchParams({
    model: f.modelId,
    set: f.transcoderSetId,
    layer: String(f.layer),
    index: String(f.index),
  });
  return `/api/feature-dashboard?${q.toString()}`;
}
