// What a node is, from its feature_type (peer-platforms.md §8 lists the values seen). The id cannot be used:
// legacy error ids look like layer-0 feature ids (node-id.ts).

export type TNodeKind = "feature" | "error" | "embedding" | "logit" | "other";

const KIND_BY_FEATURE_TYPE: Readonly<Record<string, TNodeKind>> = {
  "cross layer transcoder": "feature", // written for per-layer transcoders too
  "per layer transcoder": "feature",
  transcoder: "feature",
  lorsa: "feature",
  "mlp reconstruction error": "error",
  "lorsa error": "error",
  embedding: "embedding",
  logit: "logit",
  bias: "other",
};

/** A feature_type of the table above (anything else is guessed from its words and reported as a warning). */
export function isKnownFeatureType(featureType: string): boolean {
  return KIND_BY_FEATURE_TYPE[featureType] !== undefined;
}

export function nodeKindOf(featureType: string): TNodeKind {
  const known = KIND_BY_FEATURE_TYPE[featureType];
  if (known !== undefined) return known;
  // Unknown generators: guess from the words, erring towards "other" (drawn, never decoded).
  const lower = featureType.toLowerCase();
  if (lower.includes("error")) return "error";
  if (lower.includes("embed")) return "embedding";
  if (lower.includes("logit")) return "logit";
  if (lower.includes("transcoder") || lower.includes("lorsa") || lower.includes("sae")) return "feature";
  return "other";
}
