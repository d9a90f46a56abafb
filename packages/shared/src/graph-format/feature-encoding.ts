import { cantorPair, cantorUnpair } from "./cantor-pairing";

// The `feature` field of a transcoder node means one of three things, depending on who wrote the file
// (fixtures/graphs/README.md, attribution-algorithm.md §4.3):
//   cantor        Cantor pair of (layer, index)            circuit-tracer >= 0.2 (schema_version 1)
//   layer-stride  layer * stride + index                   Neuronpedia featured files (stride 100000),
//                                                          circuit-tracer 0.1 (stride 10^ceil(log10 F))
//   index         the index within its layer
// Nothing in a file says which, so it is detected from the feature nodes whose id spells (layer, index).

export type TFeatureEncoding =
  | { readonly kind: "cantor" }
  | { readonly kind: "layer-stride"; readonly stride: number }
  | { readonly kind: "index" }
  | { readonly kind: "unknown" };

export interface TFeatureSample {
  readonly layer: number;
  readonly index: number;
  readonly feature: number;
}

/**
 * The encoding every sample agrees with. When several fit (only layer-0 samples, say) the preference is
 * cantor, then layer-stride, then index, the order of how common they are in files today.
 */
export function detectFeatureEncoding(samples: readonly TFeatureSample[]): TFeatureEncoding {
  if (samples.length === 0) return { kind: "unknown" };
  let isCantor = true;
  let isIndex = true;
  let stride: number | null = null;
  let isStride = true;
  let maxIndex = 0;
  for (const { layer, index, feature } of samples) {
    if (index > maxIndex) maxIndex = index;
    if (isCantor && ((layer + index) * (layer + index + 1)) / 2 + index !== feature) isCantor = false;
    if (isIndex && feature !== index) isIndex = false;
    if (isStride && layer > 0) {
      const candidate = (feature - index) / layer;
      if (stride === null) stride = candidate;
      if (candidate !== stride) isStride = false;
    }
    if (isStride && layer === 0 && feature !== index) isStride = false;
  }
  if (isCantor) return { kind: "cantor" };
  // A stride must exceed every index, or two (layer, index) pairs would share a value.
  if (isStride && stride !== null && Number.isSafeInteger(stride) && stride > maxIndex) {
    return { kind: "layer-stride", stride };
  }
  if (isIndex) return { kind: "index" };
  return { kind: "unknown" };
}

export function encodeFeature(layer: number, index: number, encoding: TFeatureEncoding): number | null {
  switch (encoding.kind) {
    case "cantor":
      return cantorPair(layer, index);
    case "layer-stride":
      return layer * encoding.stride + index;
    case "index":
      return index;
    case "unknown":
      return null;
  }
}

/** (layer, index) from a feature value; null where the encoding does not carry the layer. */
export function decodeFeature(feature: number, encoding: TFeatureEncoding): { layer: number; index: number } | null {
  if (!Number.isSafeInteger(feature) || feature < 0) return null;
  switch (encoding.kind) {
    case "cantor":
      return cantorUnpair(feature);
    case "layer-stride":
      return { layer: Math.floor(feature / encoding.stride), index: feature % encoding.stride };
    case "index":
    case "unknown":
      return null;
  }
}
