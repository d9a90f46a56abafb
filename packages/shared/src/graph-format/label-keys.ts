import type { TGraph, TGraphNode } from "./graph-types";
import type { TNodeKind } from "./node-kind";

// Label overrides ("clerps") are keyed by FEATURE, as circuit-tracer keys them: renaming a feature renames it
// at every token position it occurs at, and the same key names it in another graph of the same transcoder set.
//
// Our key (saved subgraphs, the viewer's URL):
//   "{layer}_{index}"   a transcoder feature, (layer, index) decoded from the file (graph-types featureLayer/Index)
//   "{node_id}"         any other node (error, embedding, logit, undecodable feature): one node
// The two never collide: feature node_ids have three parts, feature keys two.
//
// Keys other writers use, all read by resolveLabelKey:
//   circuit-tracer  qParams.clerps / ?clerps=  a JSON *string* of [String(node.feature), label] pairs
//                   (init-cg.js: `new Map(JSON.parse(clerps))`, util-cg.js: `clerps.get(`${d.feature}`)`)
//   Neuronpedia     ?clerps= and saved subgraphs: [featureId, label] with featureId
//                   "{layer}_{feature}_{ctx_idx}" (graph-provider.tsx: `e[0] === node.featureId`, utils.ts)
//   Circuitboard <= #11   [node_id, label] (one node)
// Across graphs a feature is (transcoder-set id, layer, index): featureRefKey.

export interface TLabelKeyNode {
  readonly kind: TNodeKind;
  readonly nodeId: string;
  readonly featureLayer: number | null;
  readonly featureIndex: number | null;
}

export function featureKey(layer: number, index: number): string {
  return `${layer}_${index}`;
}

/** (layer, index) of a feature key; null for a node key. */
export function parseFeatureKey(key: string): { layer: number; index: number } | null {
  const match = /^(0|[1-9][0-9]*)_(0|[1-9][0-9]*)$/.exec(key);
  return match === null ? null : { layer: Number(match[1]), index: Number(match[2]) };
}

/** The key a label override of this node is stored under. */
export function labelKeyOf(node: TLabelKeyNode): string {
  if (node.kind === "feature" && node.featureLayer !== null && node.featureIndex !== null) {
    return featureKey(node.featureLayer, node.featureIndex);
  }
  return node.nodeId;
}

/** A feature across graphs: the labels and case-study issues key by this. */
export interface TFeatureRef {
  readonly transcoderSetId: string;
  readonly layer: number;
  readonly index: number;
}

export function featureRefKey(ref: TFeatureRef): string {
  return `${ref.transcoderSetId}#${featureKey(ref.layer, ref.index)}`;
}

export type TLabelKeyResolver = (key: string) => string | null;

/** Resolves a key in any of the forms above to our key in this graph; null when it names nothing here. */
export function createLabelKeyResolver(graph: Pick<TGraph, "nodes" | "nodeIndexById">): TLabelKeyResolver {
  let byFeatureKey: Set<string> | null = null;
  let byRawFeature: Map<string, string> | null = null;
  let byNeuronpediaId: Map<string, string> | null = null;
  let byJsNodeId: Map<string, string> | null = null;
  const index = () => {
    byFeatureKey = new Set();
    byRawFeature = new Map();
    byNeuronpediaId = new Map();
    byJsNodeId = new Map();
    for (const node of graph.nodes) {
      const key = labelKeyOf(node);
      if (key !== node.nodeId) byFeatureKey.add(key);
      if (node.kind === "feature" && node.feature !== null && !byRawFeature.has(String(node.feature))) {
        byRawFeature.set(String(node.feature), key);
      }
      const layer = node.json.layer;
      if (node.feature !== null) byNeuronpediaId.set(`${String(layer)}_${node.feature}_${node.ctxIdx}`, key);
      const js = node.json.jsNodeId;
      if (js !== undefined && !byJsNodeId.has(js)) byJsNodeId.set(js, key);
    }
  };
  return (key) => {
    const at = graph.nodeIndexById.get(key);
    if (at !== undefined) return labelKeyOf(graph.nodes[at]!);
    if (byFeatureKey === null) index();
    if (byFeatureKey!.has(key)) return key;
    if (/^-?\d+$/.test(key)) return byRawFeature!.get(key) ?? null;
    // Neuronpedia suffixes error featureIds with "_mlp__err_idx_N"; the first three parts still name the node.
    const neuronpedia = /^(.+?_-?\d+_\d+)(?:_.*)?$/.exec(key)?.[1];
    const viaNeuronpedia = neuronpedia !== undefined ? byNeuronpediaId!.get(neuronpedia) : undefined;
    if (viaNeuronpedia !== undefined) return viaNeuronpedia;
    return byJsNodeId!.get(key) ?? null;
  };
}

/** Label overrides by our key, from entries in any form; entries naming nothing in the graph are returned apart. */
export function resolveLabelOverrides(
  graph: Pick<TGraph, "nodes" | "nodeIndexById">,
  entries: readonly (readonly [string, string])[],
): { overrides: Map<string, string>; unresolved: string[] } {
  const resolve = createLabelKeyResolver(graph);
  const overrides = new Map<string, string>();
  const unresolved: string[] = [];
  for (const [key, label] of entries) {
    const ours = resolve(key);
    if (ours === null) unresolved.push(key);
    else overrides.set(ours, label);
  }
  return { overrides, unresolved };
}

/**
 * `[key, label]` pairs from whatever a file or link carries as clerps: an array of pairs (Neuronpedia,
 * Circuitboard) or a JSON string of one (circuit-tracer's qParams.clerps and URL). Malformed input gives [].
 */
export function readClerpEntries(value: unknown): [string, string][] {
  let parsed = value;
  if (typeof value === "string") {
    try {
      parsed = JSON.parse(value);
    } catch {
      return [];
    }
  }
  if (!Array.isArray(parsed)) return [];
  return parsed.filter(
    (e): e is [string, string] => Array.isArray(e) && e.length === 2 && e.every((s) => typeof s === "string"),
  );
}

/**
 * qParams.clerps as circuit-tracer reads it: a JSON string of [String(feature), label] for the overridden
 * transcoder features (other nodes' overrides travel only in their node's `clerp`, since circuit-tracer
 * would apply a raw `feature` value such as -1 or 0 to every error or embedding node).
 */
export function circuitTracerClerps(graph: Pick<TGraph, "nodes">, overrides: ReadonlyMap<string, string>): string {
  const pairs: [string, string][] = [];
  const seen = new Set<string>();
  for (const node of graph.nodes) {
    if (node.kind !== "feature" || node.feature === null) continue;
    const key = labelKeyOf(node);
    const label = overrides.get(key);
    if (label === undefined || seen.has(key)) continue;
    seen.add(key);
    pairs.push([String(node.feature), label]);
  }
  return JSON.stringify(pairs);
}

/** The label a node shows: its feature's (or its own) override, else the file's clerp. */
export function labelOf(node: TGraphNode, overrides: ReadonlyMap<string, string>): string {
  return overrides.get(labelKeyOf(node)) ?? node.clerp;
}
