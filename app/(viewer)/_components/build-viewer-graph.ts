// TGraph (@circuitboard/shared/graph-format) -> TViewerGraph: columns per node, adjacency in compressed-row form, each
// node's total |input|, the strongest links, and the initial view state resolved to node indices.
// Pure and DOM-free: it runs inside the parsing worker.
import {
  createNodeRefResolver,
  deriveGraphIdentity,
  getNodeThreshold,
  labelKeyOf,
  readClerpEntries,
  resolveLabelOverrides,
  type TGraph,
} from "@circuitboard/shared/graph-format";
import { strongestLinks } from "./strongest-links";
import {
  KIND_CODE,
  type TGraphFacts,
  type TResolvedViewState,
  type TViewerGraph,
  type TViewStateRefs,
} from "./viewer-graph";

/** offsets/links grouping link indices by one endpoint column (counting sort: O(nodes + links)). */
function groupLinksBy(
  endpoint: Uint32Array,
  count: number,
  nodeCount: number,
): { offsets: Uint32Array; links: Uint32Array } {
  const offsets = new Uint32Array(nodeCount + 1);
  for (let i = 0; i < count; i += 1) offsets[endpoint[i]! + 1] = offsets[endpoint[i]! + 1]! + 1;
  for (let n = 0; n < nodeCount; n += 1) offsets[n + 1] = offsets[n + 1]! + offsets[n]!;
  const cursor = offsets.slice(0, nodeCount);
  const links = new Uint32Array(count);
  for (let i = 0; i < count; i += 1) {
    const node = endpoint[i]!;
    links[cursor[node]!] = i;
    cursor[node] = cursor[node]! + 1;
  }
  return { offsets, links };
}

function finiteOrNaN(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : Number.NaN;
}

/** The view state the file itself saved (circuit-tracer / Neuronpedia qParams), as references. */
export function fileViewState(graph: TGraph): TViewStateRefs {
  const q = graph.qParams as TGraph["qParams"] & { clerps?: unknown; pruningThreshold?: unknown };
  // An array of pairs (Neuronpedia, Circuitboard) or circuit-tracer's JSON string of one.
  const clerps = readClerpEntries(q.clerps);
  const threshold = typeof q.pruningThreshold === "number" ? q.pruningThreshold : null;
  return {
    pinnedIds: q.pinnedIds ?? [],
    supernodes: q.supernodes ?? [],
    clerps,
    clickedId: q.clickedId ?? "",
    pruningThreshold: threshold,
    positions: [],
  };
}

export function resolveViewState(graph: TGraph, refs: TViewStateRefs): TResolvedViewState {
  const resolve = createNodeRefResolver(graph);
  const unresolved: string[] = [];
  const lookUp = (ref: string): readonly number[] => {
    const found = resolve(ref);
    if (found.length === 0) unresolved.push(ref);
    return found;
  };
  const pinned = [...new Set(refs.pinnedIds.flatMap(lookUp))];
  const supernodes = refs.supernodes
    .map(([label, ...members]) => ({ label: label ?? "", members: [...new Set(members.flatMap(lookUp))] }))
    .filter((s) => s.members.length > 0);
  // A supernode's members are pinned by definition (Neuronpedia pins them too).
  for (const s of supernodes) for (const m of s.members) if (!pinned.includes(m)) pinned.push(m);
  // Keyed by feature (label-keys.ts); node_id, Neuronpedia and circuit-tracer keys are read as well.
  const labels = resolveLabelOverrides(graph, refs.clerps);
  unresolved.push(...labels.unresolved);
  const clerps = [...labels.overrides.entries()];
  const clicked = refs.clickedId ? (lookUp(refs.clickedId)[0] ?? null) : null;
  const t = refs.pruningThreshold;
  return {
    pinned,
    supernodes,
    clerps,
    clicked,
    pruningThreshold: t !== null && t >= 0 && t <= 1 ? t : null,
    positions: (refs.positions ?? []).filter(
      ([key, x, y]) => typeof key === "string" && Number.isFinite(x) && Number.isFinite(y),
    ),
    unresolved,
  };
}

function numericEntries(settings: unknown): [string, number][] {
  if (settings === null || typeof settings !== "object") return [];
  return Object.entries(settings).filter((e): e is [string, number] => typeof e[1] === "number");
}

function scoreOf(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** The graph's own description of itself: generator, settings, scores, identity (graph-identity.ts). */
export function graphFacts(graph: TGraph): TGraphFacts {
  const m = graph.metadata;
  const generator = m.info?.generator;
  const scores = (m as { scores?: Record<string, unknown> }).scores;
  const loose = m as Record<string, unknown>;
  const identity = deriveGraphIdentity(m);
  return {
    description: m.info?.description?.trim() || null,
    generator: generator?.name ? `${generator.name}${generator.version ? ` ${generator.version}` : ""}` : null,
    createTimeMs: typeof m.info?.create_time_ms === "number" ? m.info.create_time_ms : null,
    generationSettings: numericEntries(m.generation_settings),
    pruningSettings: numericEntries(m.pruning_settings),
    replacementScore: scoreOf(scores?.replacement_score ?? loose.replacement_score),
    completenessScore: scoreOf(scores?.completeness_score ?? loose.completeness_score),
    modelId: identity.modelId,
    transcoderSetId: identity.transcoderSetId,
    identitySources: identity.sources,
    counts: {
      features: graph.counts.features,
      errors: graph.counts.errors,
      embeddings: graph.counts.embeddings,
      logits: graph.counts.logits,
      other: graph.counts.otherNodes,
    },
  };
}

export function buildViewerGraph(graph: TGraph, refs: TViewStateRefs | null): TViewerGraph {
  const n = graph.nodes.length;
  const kinds = new Uint8Array(n);
  const layers = new Int16Array(n);
  const ctxIdx = new Int32Array(n);
  const influence = new Float64Array(n);
  const activation = new Float64Array(n);
  const tokenProb = new Float64Array(n);
  const featureLayer = new Int32Array(n).fill(-1);
  const featureIndex = new Int32Array(n).fill(-1);
  const nodeIds = new Array<string>(n);
  const clerps = new Array<string>(n);
  const labelKeys = new Array<string>(n);
  const featureTypes = new Array<string>(n);
  for (const node of graph.nodes) {
    const i = node.index;
    nodeIds[i] = node.nodeId;
    labelKeys[i] = labelKeyOf(node);
    featureTypes[i] = node.json.feature_type;
    clerps[i] = node.clerp;
    kinds[i] = KIND_CODE[node.kind];
    layers[i] = node.layer ?? -1;
    ctxIdx[i] = node.ctxIdx;
    influence[i] = finiteOrNaN(node.influence);
    activation[i] = finiteOrNaN(node.activation);
    tokenProb[i] = finiteOrNaN(node.json.token_prob);
    if (node.featureLayer !== null) featureLayer[i] = node.featureLayer;
    if (node.featureIndex !== null) featureIndex[i] = node.featureIndex;
  }

  const { count, source, target, weight } = graph.links;
  const incoming = groupLinksBy(target, count, n);
  const outgoing = groupLinksBy(source, count, n);
  const inAbsSum = new Float64Array(n);
  for (let i = 0; i < count; i += 1) {
    const node = target[i]!;
    inAbsSum[node] = inAbsSum[node]! + Math.abs(weight[i]!);
  }

  const warnings = graph.warnings.slice(0, 20).map((w) => w.message);
  if (graph.warnings.length > 20) warnings.push(`… and ${graph.warnings.length - 20} more`);
  return {
    facts: graphFacts(graph),
    tokens: graph.metadata.prompt_tokens,
    nLayers: graph.nLayers,
    fileNodeThreshold: getNodeThreshold(graph.metadata),
    nodeCount: n,
    nodeIds,
    labelKeys,
    featureTypes,
    clerps,
    kinds,
    layers,
    ctxIdx,
    influence,
    activation,
    tokenProb,
    featureLayer,
    featureIndex,
    linkCount: count,
    source,
    target,
    weight,
    inOffsets: incoming.offsets,
    inLinks: incoming.links,
    outOffsets: outgoing.offsets,
    outLinks: outgoing.links,
    inAbsSum,
    strongest: strongestLinks(weight, count),
    initialState: resolveViewState(graph, refs ?? fileViewState(graph)),
    warnings,
  };
}
