import { defaultJsNodeId } from "./default-js-node-id";
import { deriveGraphIdentity, exportScan, isFilePath, type TGraphIdentity } from "./graph-identity";
import type { TGraphMetadata } from "./graph-metadata-schema";
import type { TQParams } from "./graph-qparams-schema";
import type { TGraph, TGraphNode } from "./graph-types";
import { circuitTracerClerps, labelOf } from "./label-keys";

// Writes the Neuronpedia / circuit-tracer graph JSON (validates against Neuronpedia's graph-schema.json).
// The text comes out in chunks so a caller can stream 10^6 links to a file or a response without holding
// one 100 MB string, and so no step concatenates per link onto a growing string.
//
// Layout: one node and one link per line. Compact like the files circuit-tracer uploads, and still
// diffable line by line.

export interface TExportGraphOptions {
  /** Current labels, written to `clerp`: by node_id, or computed per node (undefined keeps the file's). */
  readonly labels?: ReadonlyMap<string, string> | ((node: TGraphNode) => string | undefined);
  /**
   * Label overrides by label key (label-keys.ts: by feature, or by node_id for other nodes). Written as
   * both clients read them: into every overridden node's `clerp` (Neuronpedia) and as `qParams.clerps`, a
   * JSON string of [feature, label] pairs (circuit-tracer). Takes precedence over `labels`.
   */
  readonly labelOverrides?: ReadonlyMap<string, string>;
  /** A saved subgraph (pinnedIds, supernodes, clickedId, ...), written into qParams over the graph's own. */
  readonly subgraph?: TQParams;
  /** The graph's identity (deriveGraphIdentity); used for `metadata.scan` when the file's is a path or absent. */
  readonly identity?: TGraphIdentity;
  /** Links per chunk yielded by exportGraphChunks (default 16384). */
  readonly linksPerChunk?: number;
}

const DEFAULT_LINKS_PER_CHUNK = 16_384;

/** JSON.stringify and String both print -0 as "0"; "-0" keeps the sign bit through a round trip. */
function formatWeight(weight: number): string {
  return Object.is(weight, -0) ? "-0" : String(weight);
}

/** Neuronpedia requires slug, scan, prompt_tokens and prompt; fill what the source file lacked. */
/** `scan` becomes an id, never a file path (graph-identity.ts). */
function exportMetadata(metadata: TGraphMetadata, identity: TGraphIdentity | undefined): TGraphMetadata {
  const scan = metadata.scan;
  const isScanId = typeof scan === "string" && !isFilePath(scan);
  if (typeof metadata.slug === "string" && isScanId && typeof metadata.prompt === "string") return metadata;
  return {
    ...metadata,
    slug: metadata.slug ?? "",
    scan: isScanId ? scan : exportScan(metadata, identity ?? deriveGraphIdentity(metadata)),
    prompt: metadata.prompt ?? metadata.prompt_tokens.join(""),
  };
}

function exportNode(node: TGraphNode, label: string | undefined): object {
  const { json } = node;
  const clerp = label ?? json.clerp ?? "";
  if (json.feature !== undefined && json.jsNodeId !== undefined && json.clerp === clerp) return json;
  // Spreading keeps the file's key order; keys it lacked (required by Neuronpedia) go last.
  return { ...json, feature: json.feature ?? null, jsNodeId: json.jsNodeId ?? defaultJsNodeId(node), clerp };
}

function overriddenLabel(node: TGraphNode, overrides: ReadonlyMap<string, string>): string | undefined {
  const label = labelOf(node, overrides);
  return label === node.clerp ? undefined : label;
}

function labelGetter(labels: TExportGraphOptions["labels"]): (node: TGraphNode) => string | undefined {
  if (labels === undefined) return () => undefined;
  if (typeof labels === "function") return labels;
  return (node) => labels.get(node.nodeId);
}

export function* exportGraphChunks(
  graph: TGraph,
  options: TExportGraphOptions = {},
): Generator<string, void, undefined> {
  let qParams = options.subgraph === undefined ? graph.qParams : { ...graph.qParams, ...options.subgraph };
  let labelFor = labelGetter(options.labels);
  const overrides = options.labelOverrides;
  if (overrides !== undefined) {
    qParams = { ...qParams, clerps: circuitTracerClerps(graph, overrides) };
    labelFor = (node) => (overrides.size === 0 ? undefined : overriddenLabel(node, overrides));
  }
  const nodeLines = graph.nodes.map((node) => JSON.stringify(exportNode(node, labelFor(node))));
  yield (
    `{"metadata":${JSON.stringify(exportMetadata(graph.metadata, options.identity))},\n"qParams":${JSON.stringify(qParams)},\n` +
    `"nodes":[\n${nodeLines.join(",\n")}\n],\n"links":[\n`
  );

  // Each node_id is quoted once, not once per link end.
  const quotedIds = graph.nodes.map((node) => JSON.stringify(node.nodeId));
  const { count, source, target, weight, extras } = graph.links;
  const perChunk = Math.max(1, options.linksPerChunk ?? DEFAULT_LINKS_PER_CHUNK);
  for (let start = 0; start < count; start += perChunk) {
    const end = Math.min(count, start + perChunk);
    const lines = new Array<string>(end - start);
    for (let i = start; i < end; i += 1) {
      let line = `{"source":${quotedIds[source[i]!]},"target":${quotedIds[target[i]!]},"weight":${formatWeight(weight[i]!)}`;
      const extra = extras.get(i);
      if (extra !== undefined) {
        for (const [key, value] of Object.entries(extra)) {
          if (value !== undefined) line += `,${JSON.stringify(key)}:${JSON.stringify(value)}`;
        }
      }
      lines[i - start] = `${line}}`;
    }
    yield (start === 0 ? "" : ",\n") + lines.join(",\n");
  }

  let tail = "\n]";
  for (const [key, value] of Object.entries(graph.extras)) {
    if (value !== undefined) tail += `,\n${JSON.stringify(key)}:${JSON.stringify(value)}`;
  }
  yield `${tail}}\n`;
}

/** The whole export as one string (for files that fit in memory; stream exportGraphChunks otherwise). */
export function exportGraph(graph: TGraph, options: TExportGraphOptions = {}): string {
  return Array.from(exportGraphChunks(graph, options)).join("");
}
