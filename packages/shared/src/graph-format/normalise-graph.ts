import { describeReceived } from "./describe-received";
import { exceedsDepth, MAX_NESTING_DEPTH } from "./exceeds-depth";
import { ZGraphFileSchema } from "./graph-file-schema";
import { normaliseMetadata, ZGraphMetadataSchema, type TGraphMetadata } from "./graph-metadata-schema";
import { defaultQParams, ZQParamsSchema, type TQParams } from "./graph-qparams-schema";
import type { TGraph, TGraphCounts, TGraphNode } from "./graph-types";
import { IssueCollector } from "./issue-collector";
import { readLinks } from "./read-links";
import { readNodes } from "./read-nodes";
import { resolveSubgraph } from "./resolve-node-ref";
import { formatJsonPath } from "./json-path";
import { isJsonObject } from "./validate-node-json";
import { WarningList } from "./warning-list";
import { collectZodIssues } from "./zod-issues";

export interface TNormaliseGraphOptions {
  /** Stop and throw after this many problems (default 20). */
  readonly maxIssues?: number;
}

type TKindCounts = Pick<TGraphCounts, "features" | "errors" | "embeddings" | "logits" | "otherNodes">;

function countNodes(nodes: readonly TGraphNode[]): TKindCounts {
  const counts = { features: 0, errors: 0, embeddings: 0, logits: 0, otherNodes: 0 };
  for (const node of nodes) {
    if (node.kind === "feature") counts.features += 1;
    else if (node.kind === "error") counts.errors += 1;
    else if (node.kind === "embedding") counts.embeddings += 1;
    else if (node.kind === "logit") counts.logits += 1;
    else counts.otherNodes += 1;
  }
  return counts;
}

/**
 * Validates an already-parsed graph document and builds the normalised form. Throws GraphFormatError with
 * every problem found (up to maxIssues); returns warnings for what is odd but readable.
 */
export function normaliseGraph(value: unknown, options: TNormaliseGraphOptions = {}): TGraph {
  const issues = new IssueCollector(options.maxIssues);
  const warnings = new WarningList();
  if (!isJsonObject(value)) {
    return issues.fail(
      "INVALID_FIELD",
      "$",
      "a graph object {metadata, qParams, nodes, links}",
      describeReceived(value),
    );
  }
  const { metadata: metadataJson, qParams: qParamsJson, nodes: nodesJson, links: linksJson, ...extras } = value;

  const tooDeep = `at most ${MAX_NESTING_DEPTH} levels of nested objects and arrays`;
  for (const [key, kept] of Object.entries({ metadata: metadataJson, qParams: qParamsJson, ...extras })) {
    if (exceedsDepth(kept, MAX_NESTING_DEPTH - 1)) {
      issues.add("INVALID_FIELD", formatJsonPath([key]), tooDeep, "deeper nesting");
    }
  }

  // The validated input objects are kept rather than zod's copies: zod rebuilds objects with schema keys
  // first, and keeping the file's key order makes exports diff cleanly against their source.
  const metadataResult = ZGraphMetadataSchema.safeParse(metadataJson);
  if (!metadataResult.success) collectZodIssues(issues, ["metadata"], metadataJson, metadataResult.error);
  // Absent or null: nothing saved. Either reads as circuit-tracer's empty state, which is what export writes.
  let qParams = defaultQParams();
  if (qParamsJson !== undefined && qParamsJson !== null) {
    const qParamsResult = ZQParamsSchema.safeParse(qParamsJson);
    if (qParamsResult.success) qParams = qParamsJson as TQParams;
    else collectZodIssues(issues, ["qParams"], qParamsJson, qParamsResult.error);
  }
  if (extras.qk_only_nodes !== undefined) {
    const result = ZGraphFileSchema.shape.qk_only_nodes.safeParse(extras.qk_only_nodes);
    if (!result.success) collectZodIssues(issues, ["qk_only_nodes"], extras.qk_only_nodes, result.error);
  }
  const { nodes, nodeIndexById, featureEncoding, duplicateNodeIds } = readNodes(nodesJson, issues, warnings);
  const links = readLinks(linksJson, nodeIndexById, issues);
  issues.throwIfAny();
  const metadata = normaliseMetadata(metadataJson as TGraphMetadata);

  let maxLogitLayer: number | null = null;
  const tokenCount = metadata.prompt_tokens.length;
  for (const node of nodes) {
    if (node.kind === "logit" && node.layer !== null && (maxLogitLayer === null || node.layer > maxLogitLayer)) {
      maxLogitLayer = node.layer;
    }
    if (node.ctxIdx >= tokenCount) {
      warnings.add(
        "CTX_IDX_OUT_OF_RANGE",
        `$.nodes[${node.index}].ctx_idx`,
        `a position below ${tokenCount} (the length of metadata.prompt_tokens)`,
        describeReceived(node.ctxIdx),
        `ctx_idx ${node.ctxIdx} is past the last prompt token (${tokenCount} tokens)`,
      );
    }
  }
  const graph = {
    metadata,
    qParams,
    nodes,
    links,
    nodeIndexById,
    featureEncoding,
    nLayers: maxLogitLayer === null ? null : maxLogitLayer - 1,
    extras,
    counts: {
      nodes: nodes.length,
      links: links.count,
      ...countNodes(nodes),
      pinnedIds: qParams.pinnedIds?.length ?? 0,
      supernodes: qParams.supernodes?.length ?? 0,
      duplicateNodeIds,
    },
    warnings: warnings.warnings,
  };
  for (const { path, ref } of resolveSubgraph(graph).unresolved) {
    const message = `${JSON.stringify(ref)} names no node`;
    warnings.add("UNRESOLVED_REFERENCE", path, "a node_id or jsNodeId of a node", describeReceived(ref), message);
  }
  return graph;
}
