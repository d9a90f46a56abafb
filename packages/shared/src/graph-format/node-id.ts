// The node_id conventions of circuit-tracer (attribution-algorithm.md §4.3):
//   feature   "{layer}_{index}_{ctx}"
//   error     legacy (<= v0.5.0) "0_{layer}_{ctx}", current "{layer}_-1_{ctx}"
//   embedding "E_{tokenId}_{ctx}"
//   logit     "{nLayers+1}_{vocabIdx}_{ctx}"
// The legacy error id has the shape of a layer-0 feature id, so only the node's feature_type can tell them
// apart: never classify a node from its id alone.

export type TErrorIdScheme = "legacy" | "current";

const THREE_NUMBERS = /^(0|[1-9][0-9]*)_(0|[1-9][0-9]*)_(0|[1-9][0-9]*)$/;
const CURRENT_ERROR = /^(0|[1-9][0-9]*)_-1_(0|[1-9][0-9]*)$/;
const EMBEDDING = /^E_(0|[1-9][0-9]*)_(0|[1-9][0-9]*)$/;

/** `{a}_{b}_{c}`: (layer, index, ctx) of a feature, or (layer, vocabIdx, ctx) of a logit. */
export function parseFeatureNodeId(nodeId: string): { layer: number; index: number; ctxIdx: number } | null {
  const match = THREE_NUMBERS.exec(nodeId);
  if (match === null) return null;
  return { layer: Number(match[1]), index: Number(match[2]), ctxIdx: Number(match[3]) };
}

export function formatFeatureNodeId(layer: number, index: number, ctxIdx: number): string {
  return `${layer}_${index}_${ctxIdx}`;
}

/** Reads either error-id scheme. Call it only for nodes already known (by feature_type) to be errors. */
export function parseErrorNodeId(nodeId: string): { scheme: TErrorIdScheme; layer: number; ctxIdx: number } | null {
  const current = CURRENT_ERROR.exec(nodeId);
  if (current !== null) return { scheme: "current", layer: Number(current[1]), ctxIdx: Number(current[2]) };
  const legacy = THREE_NUMBERS.exec(nodeId);
  if (legacy !== null && legacy[1] === "0") {
    return { scheme: "legacy", layer: Number(legacy[2]), ctxIdx: Number(legacy[3]) };
  }
  return null;
}

/** Writes the current scheme unless told otherwise: the legacy one collides with feature ids (issue #78). */
export function formatErrorNodeId(layer: number, ctxIdx: number, scheme: TErrorIdScheme = "current"): string {
  return scheme === "current" ? `${layer}_-1_${ctxIdx}` : `0_${layer}_${ctxIdx}`;
}

export function formatEmbeddingNodeId(tokenId: number, ctxIdx: number): string {
  return `E_${tokenId}_${ctxIdx}`;
}

/** Logits sit at layer nLayers + 1 and are identified by their vocabulary index. */
export function formatLogitNodeId(nLayers: number, vocabIdx: number, ctxIdx: number): string {
  return formatFeatureNodeId(nLayers + 1, vocabIdx, ctxIdx);
}

export function parseEmbeddingNodeId(nodeId: string): { tokenId: number; ctxIdx: number } | null {
  const match = EMBEDDING.exec(nodeId);
  if (match === null) return null;
  return { tokenId: Number(match[1]), ctxIdx: Number(match[2]) };
}
