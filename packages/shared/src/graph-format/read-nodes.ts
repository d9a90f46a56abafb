import { describeReceived } from "./describe-received";
import { decodeFeature, detectFeatureEncoding, type TFeatureEncoding, type TFeatureSample } from "./feature-encoding";
import type { TGraphNode } from "./graph-types";
import type { IssueCollector } from "./issue-collector";
import { parseFeatureNodeId } from "./node-id";
import { isKnownFeatureType, nodeKindOf } from "./node-kind";
import { validateNodeJson } from "./validate-node-json";
import type { WarningList } from "./warning-list";

type TMutable<T> = { -readonly [K in keyof T]: T[K] };

export interface TReadNodesResult {
  readonly nodes: TGraphNode[];
  readonly nodeIndexById: Map<string, number>;
  readonly featureEncoding: TFeatureEncoding;
  readonly duplicateNodeIds: number;
}

/** Validates `nodes` and turns each into a TGraphNode record, decoding kind, layer and feature identity. */
export function readNodes(value: unknown, issues: IssueCollector, warnings: WarningList): TReadNodesResult {
  const nodes: TMutable<TGraphNode>[] = [];
  const nodeIndexById = new Map<string, number>();
  if (!Array.isArray(value)) {
    issues.add("INVALID_FIELD", "$.nodes", "an array of node objects", describeReceived(value));
    return { nodes, nodeIndexById, featureEncoding: { kind: "unknown" }, duplicateNodeIds: 0 };
  }
  const samples: TFeatureSample[] = [];
  const duplicated = new Set<string>();
  // Lenient reading: what could be drawn but needed an assumption, reported once per kind of assumption.
  let minusOneLayers = 0;
  const unknownTypes = new Map<string, { count: number; first: number }>();
  for (let index = 0; index < value.length; index += 1) {
    const json: unknown = value[index];
    if (!validateNodeJson(json, index, issues)) {
      // Still index a usable id, so the links to this node do not add a second, misleading error.
      if (typeof json === "object" && json !== null && typeof (json as { node_id?: unknown }).node_id === "string") {
        nodeIndexById.set((json as { node_id: string }).node_id, index);
      }
      continue;
    }
    const nodeId = json.node_id;
    const previous = nodeIndexById.get(nodeId);
    if (previous !== undefined) {
      duplicated.add(nodeId);
      warnings.add(
        "DUPLICATE_NODE_ID",
        `$.nodes[${index}].node_id`,
        "a node_id not used by another node",
        describeReceived(nodeId),
        `node_id ${JSON.stringify(nodeId)} also names $.nodes[${previous}]; links and pins resolve to the later node`,
      );
    }
    nodeIndexById.set(nodeId, index);

    const kind = nodeKindOf(json.feature_type);
    if (!isKnownFeatureType(json.feature_type)) {
      const seen = unknownTypes.get(json.feature_type);
      if (seen) seen.count += 1;
      else unknownTypes.set(json.feature_type, { count: 1, first: index });
    }
    const feature = json.feature ?? null;
    let featureLayer: number | null = null;
    let featureIndex: number | null = null;
    if (kind === "feature") {
      const parsed = parseFeatureNodeId(nodeId);
      if (parsed !== null) {
        featureLayer = parsed.layer;
        featureIndex = parsed.index;
        if (feature !== null) samples.push({ layer: parsed.layer, index: parsed.index, feature });
      }
    }
    const { layer } = json;
    if (layer === -1) minusOneLayers += 1;
    nodes.push({
      index,
      nodeId,
      kind,
      layer: typeof layer === "number" ? (layer === -1 ? null : layer) : layer === "E" ? null : Number(layer),
      ctxIdx: json.ctx_idx,
      feature,
      featureLayer,
      featureIndex,
      clerp: json.clerp ?? "",
      influence: json.influence ?? null,
      activation: json.activation ?? null,
      json,
    });
  }

  if (minusOneLayers > 0) {
    warnings.add(
      "EMBEDDING_LAYER_MINUS_ONE",
      "$.nodes[*].layer",
      'a layer >= 0 or "E"',
      "-1",
      `${minusOneLayers} node(s) have layer -1; read as the embedding layer ("E"), as OpenMOSS CRM files mean it`,
    );
  }
  for (const [type, { count, first }] of unknownTypes) {
    warnings.add(
      "UNKNOWN_FEATURE_TYPE",
      `$.nodes[${first}].feature_type`,
      "a feature_type this viewer knows",
      describeReceived(type),
      `${count} node(s) of feature_type ${JSON.stringify(type.slice(0, 60))} are drawn as ${nodeKindOf(type) === "other" ? "generic nodes" : `${nodeKindOf(type)} nodes`}, with their type shown`,
    );
  }

  const featureEncoding = detectFeatureEncoding(samples);
  // Feature ids that do not spell (layer, index) can still be decoded once the file's encoding is known.
  for (const node of nodes) {
    if (node.kind === "feature" && node.featureIndex === null && node.feature !== null) {
      const decoded = decodeFeature(node.feature, featureEncoding);
      if (decoded !== null) {
        node.featureLayer = decoded.layer;
        node.featureIndex = decoded.index;
      }
    }
  }
  return { nodes, nodeIndexById, featureEncoding, duplicateNodeIds: duplicated.size };
}
