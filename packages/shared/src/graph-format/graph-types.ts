import type { TFeatureEncoding } from "./feature-encoding";
import type { TGraphFormatIssue } from "./graph-format-error";
import type { TGraphMetadata } from "./graph-metadata-schema";
import type { TGraphNodeJson } from "./graph-node-schema";
import type { TQParams } from "./graph-qparams-schema";
import type { TNodeKind } from "./node-kind";

// The normalised, in-memory graph. Nodes are records (thousands); links are columns of typed arrays
// (up to millions), so 10^6 links cost 16 MB instead of 10^6 objects. Index i of the three link arrays is
// link i of the file, in file order.

export interface TGraphNode {
  /** Position in the file's `nodes` array; what link columns hold. */
  readonly index: number;
  readonly nodeId: string;
  readonly kind: TNodeKind;
  /** Layer number; null for embeddings ("E"). Logits sit at nLayers + 1. */
  readonly layer: number | null;
  /** Token position (ctx_idx). */
  readonly ctxIdx: number;
  /** The raw `feature` field (meaning depends on kind and file, see feature-encoding.ts); null if absent. */
  readonly feature: number | null;
  /** For transcoder features: the decoded (layer, index) that identifies the feature across graphs. */
  readonly featureLayer: number | null;
  readonly featureIndex: number | null;
  /** The label in the file; "" when there is none. */
  readonly clerp: string;
  readonly influence: number | null;
  readonly activation: number | null;
  /** The node object exactly as read, every key kept (extra keys included), for export. Do not mutate. */
  readonly json: TGraphNodeJson;
}

export interface TGraphLinks {
  readonly count: number;
  /** Node index of each link's source. */
  readonly source: Uint32Array;
  /** Node index of each link's target. */
  readonly target: Uint32Array;
  // Float64 because JSON numbers parse to doubles: only then does export -> import give the same bits
  // for every file (float32 happens to be exact for the fixtures, not for files in general).
  readonly weight: Float64Array;
  /** Keys other than source/target/weight, for the few links that have them (by link index). */
  readonly extras: ReadonlyMap<number, Readonly<Record<string, unknown>>>;
}

export interface TGraphCounts {
  readonly nodes: number;
  readonly links: number;
  readonly features: number;
  readonly errors: number;
  readonly embeddings: number;
  readonly logits: number;
  readonly otherNodes: number;
  readonly pinnedIds: number;
  readonly supernodes: number;
  /** node_ids that occur more than once (each counted once). */
  readonly duplicateNodeIds: number;
}

/** Something odd but readable: reading goes on, the UI may show it. Same shape as an error issue. */
export type TGraphFormatWarning = Omit<TGraphFormatIssue, "code"> & {
  readonly code:
    | "DUPLICATE_NODE_ID"
    | "UNRESOLVED_REFERENCE"
    | "CTX_IDX_OUT_OF_RANGE"
    // Lenient reading (OpenMOSS CRM files and other writers): drawn, with what was assumed said here.
    | "EMBEDDING_LAYER_MINUS_ONE"
    | "UNKNOWN_FEATURE_TYPE";
};

export interface TGraph {
  readonly metadata: TGraphMetadata;
  /** The saved subgraph state; circuit-tracer's empty state when the file has none. */
  readonly qParams: TQParams;
  readonly nodes: readonly TGraphNode[];
  readonly links: TGraphLinks;
  /**
   * node_id -> node index. For a duplicated node_id the LAST node wins, as in the Anthropic and Neuronpedia
   * viewers (`pyNodeIdToNode[d.node_id] = d`), so links resolve where those viewers resolve them.
   */
  readonly nodeIndexById: ReadonlyMap<string, number>;
  readonly featureEncoding: TFeatureEncoding;
  /** Model depth, from the logit layer (= nLayers + 1); null when the graph has no logit node. */
  readonly nLayers: number | null;
  /** Top-level keys other than metadata/qParams/nodes/links (e.g. qk_only_nodes), kept for export. */
  readonly extras: Readonly<Record<string, unknown>>;
  readonly counts: TGraphCounts;
  readonly warnings: readonly TGraphFormatWarning[];
}
