// @circuitboard/shared/graph-format: the single source of truth for the attribution-graph file. Pure functions, no I/O.
// parseGraph (text or bytes) -> TGraph (records + typed-array links) -> exportGraph (Neuronpedia JSON).

export {
  graphFromAttributionColumns,
  type TAttributionColumns,
  type TAttributionLinkColumns,
} from "./attribution-columns";
export { cantorPair, cantorUnpair } from "./cantor-pairing";
export { defaultJsNodeId } from "./default-js-node-id";
export { describeReceived } from "./describe-received";
export { exportGraph, exportGraphChunks, type TExportGraphOptions } from "./export-graph";
export {
  decodeFeature,
  detectFeatureEncoding,
  encodeFeature,
  type TFeatureEncoding,
  type TFeatureSample,
} from "./feature-encoding";
export { ZGraphFileSchema, ZQkOnlyNodeSchema, type TGraphFileJson } from "./graph-file-schema";
export {
  GraphFormatError,
  type TGraphFormatErrorCode,
  type TGraphFormatIssue,
  type TTextPosition,
} from "./graph-format-error";
export { ZGraphLinkSchema, type TGraphLinkJson } from "./graph-link-schema";
export { getNodeThreshold, ZGraphMetadataSchema, type TGraphMetadata } from "./graph-metadata-schema";
export {
  LAYER_STRING_PATTERN,
  ZGraphNodeSchema,
  ZQkTracingResultsSchema,
  type TGraphNodeJson,
} from "./graph-node-schema";
export {
  defaultQParams,
  ZQParamsSchema,
  ZSupernodeSchema,
  type TQParams,
  type TSupernode,
} from "./graph-qparams-schema";
export type { TGraph, TGraphCounts, TGraphFormatWarning, TGraphLinks, TGraphNode } from "./graph-types";
export { DEFAULT_MAX_ISSUES } from "./issue-collector";
export { formatJsonPath, type TJsonPathSegment } from "./json-path";
export { locateJsonSyntaxError, type TJsonSyntaxLocation } from "./locate-json-syntax-error";
export {
  formatEmbeddingNodeId,
  formatErrorNodeId,
  formatFeatureNodeId,
  formatLogitNodeId,
  parseEmbeddingNodeId,
  parseErrorNodeId,
  parseFeatureNodeId,
  type TErrorIdScheme,
} from "./node-id";
export { nodeKindOf, type TNodeKind } from "./node-kind";
export { normaliseGraph, type TNormaliseGraphOptions } from "./normalise-graph";
export { parseGraph, safeParseGraph, type TSafeParseGraphResult } from "./parse-graph";
export { decodeGraphText, parseJsonText, type TGraphInput } from "./parse-json-text";
export {
  createNodeRefResolver,
  resolveNodeRef,
  resolveSubgraph,
  type TNodeRefResolver,
  type TResolvedSubgraph,
  type TResolvedSupernode,
} from "./resolve-node-ref";
export {
  deriveGraphIdentity,
  exportScan,
  isFilePath,
  type TAnnouncedIdentity,
  type TGraphIdentity,
} from "./graph-identity";
export {
  circuitTracerClerps,
  createLabelKeyResolver,
  featureKey,
  featureRefKey,
  labelKeyOf,
  labelOf,
  parseFeatureKey,
  readClerpEntries,
  resolveLabelOverrides,
  type TFeatureRef,
  type TLabelKeyNode,
  type TLabelKeyResolver,
} from "./label-keys";
export { featurePagePath, parseFeaturePagePath, type TFeaturePageRef } from "./feature-page-path";
export { isBosToken, promptWithoutBos } from "./bos-token";
export { circuitTracerSgPos } from "./sg-pos";
