// The pinned feature nodes (supernode members included) as intervention targets: one target per transcoder
// feature, at the positions where it is pinned, or at every position.
import type { TInterventionTarget } from "@circuitboard/shared/job-payload";
import type { TViewerGraph } from "../viewer-graph";

export interface TPinnedFeature {
  node: number;
  layer: number;
  feature: number;
  position: number;
}

export function pinnedFeatures(graph: TViewerGraph, pinned: readonly number[]): TPinnedFeature[] {
  return pinned
    .filter((n) => graph.featureLayer[n]! >= 0 && graph.featureIndex[n]! >= 0)
    .map((n) => ({
      node: n,
      layer: graph.featureLayer[n]!,
      feature: graph.featureIndex[n]!,
      position: graph.ctxIdx[n]!,
    }));
}

export function targetsOf(features: readonly TPinnedFeature[], isEveryPosition: boolean): TInterventionTarget[] {
  const byFeature = new Map<string, TInterventionTarget>();
  for (const f of features) {
    const key = `${f.layer}:${f.feature}`;
    const t = byFeature.get(key) ?? { layer: f.layer, feature: f.feature, positions: isEveryPosition ? null : [] };
    if (t.positions && !t.positions.includes(f.position)) t.positions.push(f.position);
    byFeature.set(key, t);
  }
  return [...byFeature.values()].map((t) => (t.positions ? { ...t, positions: t.positions.sort((a, b) => a - b) } : t));
}
