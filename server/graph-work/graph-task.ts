/**
 * What runs inside the graph worker threads (server/graph-work/graph-pool.ts): the work on a whole graph
 * file that would otherwise block the request thread for seconds (a 150 MB file parses in ~10 s).
 *   describe: parse an uploaded file, check what will be stored from it, say what the Graph row needs
 *   export:   inflate a stored body, parse it, write it back out with a saved subgraph in qParams
 * Imports only the shared module and Node: this file is loaded by the worker threads directly.
 * An export's input (read from the store for it) and every result travel by transfer (no copy); an
 * upload's body is copied in (the caller keeps it, to store it).
 */
import { gunzipSync } from "node:zlib";
import { move, transferableSymbol, valueSymbol } from "piscina";
import {
  circuitTracerSgPos,
  deriveGraphIdentity,
  exportGraphChunks,
  GraphFormatError,
  parseGraph,
  resolveLabelOverrides,
  type TAnnouncedIdentity,
  type TGraph,
  type TQParams,
} from "@circuitboard/shared/graph-format";

/** Limits on what a file brings into the Graph row (lists and search show these; a file can be any size). */
export const STORED_FIELD_LIMITS = {
  prompt: 10_000, // characters; lists show a 300-character excerpt
  promptTokens: 4096, // tokens
  promptToken: 200, // characters per token
  slug: 200,
  scan: 200,
  transcoderSet: 200,
} as const;

export type TGraphTask =
  | { kind: "describe"; body: Uint8Array; announced?: TAnnouncedIdentity }
  | {
      kind: "export";
      stored: Uint8Array;
      isGzipped: boolean;
      subgraph?: TQParams;
      /** Label overrides in any key form (label-keys.ts); written to each node's clerp and qParams.clerps. */
      clerps?: [string, string][];
      /** Subgraph diagram positions by box: written as qParams.sg_pos in circuit-tracer's order. */
      positions?: [string, number, number][];
      /** The stored ids (graph-identity.ts), for metadata.scan when the file's is a path. */
      announced?: TAnnouncedIdentity;
    };

export interface TGraphDescription {
  slug: string;
  prompt: string;
  promptTokens: string;
  modelId: string;
  transcoderSet: string;
  nodeCount: number;
  linkCount: number;
  /** What was read leniently (graph-types TGraphFormatWarning), as messages for the uploader. */
  warnings: string[];
  /** The transcoder-feature nodes, column-wise: what the occurrence index and import labels need. */
  features: TFeatureColumns;
}

/** One entry per transcoder-feature node with a decoded (layer, index); NaN: no activation / influence. */
export interface TFeatureColumns {
  layer: Int32Array;
  index: Int32Array;
  ctxIdx: Int32Array;
  activation: Float64Array;
  influence: Float64Array;
  /** The file's label of each node ("" for none). */
  clerp: string[];
}

function featureColumns(graph: TGraph): TFeatureColumns {
  const nodes = graph.nodes.filter((n) => n.kind === "feature" && n.featureLayer !== null && n.featureIndex !== null);
  const cols: TFeatureColumns = {
    layer: new Int32Array(nodes.length),
    index: new Int32Array(nodes.length),
    ctxIdx: new Int32Array(nodes.length),
    activation: new Float64Array(nodes.length),
    influence: new Float64Array(nodes.length),
    clerp: [],
  };
  nodes.forEach((n, i) => {
    cols.layer[i] = n.featureLayer!;
    cols.index[i] = n.featureIndex!;
    cols.ctxIdx[i] = n.ctxIdx;
    cols.activation[i] = n.activation ?? NaN;
    cols.influence[i] = n.influence ?? NaN;
    cols.clerp.push(n.clerp);
  });
  return cols;
}

export type TGraphTaskResult =
  | { ok: true; kind: "describe"; description: TGraphDescription }
  | { ok: true; kind: "export"; bytes: Uint8Array }
  /** A file problem: the message and JSON path of a GraphFormatError, or of a stored-field limit. */
  | { ok: false; kind: "format"; message: string; path: string };

function fieldProblem(graph: TGraph): { message: string; path: string } | null {
  const m = graph.metadata;
  const L = STORED_FIELD_LIMITS;
  const checks: [string, string | null | undefined, number][] = [
    ["$.metadata.prompt", m.prompt, L.prompt],
    ["$.metadata.slug", m.slug, L.slug],
    ["$.metadata.scan", m.scan, L.scan],
    ["$.metadata.info.neuronpedia_source_set", m.info?.neuronpedia_source_set, L.transcoderSet],
    ["$.metadata.feature_details.neuronpedia_source_set", m.feature_details?.neuronpedia_source_set, L.transcoderSet],
  ];
  for (const [path, value, max] of checks) {
    if (typeof value === "string" && value.length > max) {
      return { path, message: `${path}: at most ${max} characters (got ${value.length})` };
    }
  }
  if (m.prompt_tokens.length > L.promptTokens) {
    return {
      path: "$.metadata.prompt_tokens",
      message: `$.metadata.prompt_tokens: at most ${L.promptTokens} tokens (got ${m.prompt_tokens.length})`,
    };
  }
  const long = m.prompt_tokens.findIndex((t) => t.length > L.promptToken);
  if (long !== -1) {
    const path = `$.metadata.prompt_tokens[${long}]`;
    return { path, message: `${path}: at most ${L.promptToken} characters per token` };
  }
  return null;
}

function describe(graph: TGraph, announced: TAnnouncedIdentity | undefined): TGraphDescription {
  const m = graph.metadata;
  const prompt = m.prompt ?? m.prompt_tokens.join("");
  // Model and transcoder set by the one rule of the shared module (graph-identity.ts): never a file path.
  const identity = deriveGraphIdentity(m, announced);
  return {
    slug: m.slug ?? "",
    prompt: prompt.slice(0, STORED_FIELD_LIMITS.prompt),
    promptTokens: JSON.stringify(m.prompt_tokens),
    modelId: identity.modelId.slice(0, STORED_FIELD_LIMITS.scan),
    transcoderSet: identity.transcoderSetId.slice(0, STORED_FIELD_LIMITS.transcoderSet),
    nodeCount: graph.counts.nodes,
    linkCount: graph.counts.links,
    warnings: graph.warnings.map((w) => w.message),
    features: featureColumns(graph),
  };
}

function concatChunks(chunks: Iterable<string>): Uint8Array {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const chunk of chunks) {
    const bytes = encoder.encode(chunk);
    parts.push(bytes);
    total += bytes.byteLength;
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}

/** Runs one task; used by the pool's threads, and directly where there is no pool (never on a request). */
export function runGraphTask(task: TGraphTask): TGraphTaskResult {
  try {
    if (task.kind === "describe") {
      const graph = parseGraph(task.body);
      const problem = fieldProblem(graph);
      if (problem) return { ok: false, kind: "format", ...problem };
      return { ok: true, kind: "describe", description: describe(graph, task.announced) };
    }
    const json = task.isGzipped ? gunzipSync(task.stored) : task.stored;
    const graph = parseGraph(json);
    const labelOverrides = task.clerps ? resolveLabelOverrides(graph, task.clerps).overrides : undefined;
    const sgPos =
      task.subgraph && task.positions
        ? circuitTracerSgPos(graph, task.subgraph.pinnedIds ?? [], task.subgraph.supernodes ?? [], task.positions)
        : null;
    const subgraph = task.subgraph && sgPos !== null ? { ...task.subgraph, sg_pos: sgPos } : task.subgraph;
    return {
      ok: true,
      kind: "export",
      bytes: concatChunks(
        exportGraphChunks(graph, {
          identity: deriveGraphIdentity(graph.metadata, task.announced),
          ...(subgraph ? { subgraph } : {}),
          ...(labelOverrides ? { labelOverrides } : {}),
        }),
      ),
    };
  } catch (e) {
    if (e instanceof GraphFormatError) {
      return { ok: false, kind: "format", message: e.message, path: e.path };
    }
    throw e;
  }
}

/** The worker thread's entry (piscina calls the default export): the result's bytes move back, not copied. */
export default function graphTaskWorker(task: TGraphTask) {
  const result = runGraphTask(task);
  if (!result.ok || result.kind !== "export") return result;
  return move({ [transferableSymbol]: [result.bytes.buffer], [valueSymbol]: result } as never);
}
