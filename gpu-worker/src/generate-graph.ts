import { readFileSync } from "node:fs";
import { createAttributionEngine, type AttributionEngine } from "./engine/attribution-engine";
import {
  attribute,
  throwIfAborted,
  yieldToEventLoop,
  type AttributeOptions,
  type AttributionGraph,
} from "./engine/attribution/attribute";
import { graphScores } from "./engine/attribution/graph-scores";
import { pruneGraph } from "./engine/attribution/prune-graph";
import type { DeviceChoice } from "./engine/onnx/create-onnx-session";
import { loadModelWeights } from "./models/load-model-weights";
import { ensureBos, loadTokenizer, type PromptTokenizer } from "./models/load-tokenizer";
import { loadTranscoderSet } from "./models/load-transcoder-set";
import type { ModelWeights } from "./models/model-weights";
import type { TranscoderSet } from "./models/transcoder-set";
import { exportGraph, graphFromAttributionColumns, type TGraph } from "@circuitboard/shared/graph-format";
import { graphColumns, rowNodes } from "./output/graph-columns";

/**
 * Prompt → attribution graph → pruned graph JSON, the worker's whole job for one request. Used by
 * the command line now and by the job loop later. Loading is separate so one loaded model serves
 * many prompts.
 */
export interface LoadedWorkerModel {
  model: ModelWeights;
  tokenizer: PromptTokenizer;
  transcoders: TranscoderSet;
  engine: AttributionEngine;
}

export async function loadWorkerModel(o: {
  modelDir: string;
  transcodersDir: string;
  engine: "onnx" | "reference";
  device: DeviceChoice;
  log: (line: string) => void;
}): Promise<LoadedWorkerModel> {
  // The onnx engine streams the weights from the checkpoint into its sessions (no JS copy stays behind);
  // the float64 reference reads them into memory.
  const model = loadModelWeights(o.modelDir, { lazy: o.engine === "onnx" });
  const tokenizer = loadTokenizer(o.modelDir);
  const transcoders = loadTranscoderSet(o.transcodersDir);
  const c = model.config;
  o.log(
    `model ${c.architecture}: ${c.n_layers} layers, d_model ${c.d_model}, ${c.n_heads} heads (${c.n_kv_heads} kv), vocab ${c.d_vocab}`,
  );
  o.log(
    `transcoders ${transcoders.kind}: ${transcoders.n_layers} × ${transcoders.d_transcoder} features, reads ${transcoders.feature_input_hook}, writes ${transcoders.feature_output_hook}, ${transcoders.layers[0]!.activation.kind}${transcoders.layers[0]!.W_skip ? " + skip" : ""}`,
  );
  const engine = await createAttributionEngine(o.engine, model, transcoders, o.device, o.log);
  o.log(`execution: ${engine.name}`);
  return { model, tokenizer, transcoders, engine };
}

export interface GenerateGraphOptions extends AttributeOptions {
  nodeThreshold: number;
  edgeThreshold: number;
  slug: string;
  scan: string | null;
}

/**
 * The graph file's text, written by @circuitboard/shared/graph-format (the single writer of the format): the
 * worker hands it typed columns (graphColumns), the format module builds, validates and serialises the file.
 */
export function graphFileText(file: TGraph): string {
  return exportGraph(file);
}

export async function generateGraph(
  w: LoadedWorkerModel,
  prompt: string,
  o: GenerateGraphOptions,
): Promise<{ graph: AttributionGraph; file: TGraph }> {
  const tokens = ensureBos(w.tokenizer.encode(prompt), w.tokenizer, w.model.config);
  const graph = await attribute(w.engine, w.model, w.transcoders, tokens, o);
  const L = graph.n_layers,
    T = tokens.length;
  const layout = { nFeatures: graph.selected.length, nErrors: L * T, nTokens: T, nLogits: graph.logitTargets.length };
  const stored = { N: graph.n_nodes, rowNode: rowNodes(graph), rows: graph.rows };
  const probs = graph.logitTargets.map((t) => t.prob);
  throwIfAborted(o.signal);
  o.onProgress?.({ phase: "pruning", done: 0, total: 2 });
  await yieldToEventLoop();
  const started = performance.now();
  const pruned = pruneGraph(stored, layout, probs, o.nodeThreshold, o.edgeThreshold);
  throwIfAborted(o.signal);
  o.onProgress?.({ phase: "pruning", done: 1, total: 2 });
  await yieldToEventLoop();
  const scores = graphScores(stored, layout, probs, pruned);
  o.onProgress?.({ phase: "pruning", done: 2, total: 2 });
  o.log?.(
    `pruning and scores: ${((performance.now() - started) / 1000).toFixed(3)} s; replacement ${scores.replacement.toFixed(4)}, completeness ${scores.completeness.toFixed(4)}`,
  );
  // Neuronpedia types max_feature_nodes as a number, so "every active feature" is written as absent.
  const generation_settings = {
    max_n_logits: o.maxNLogits,
    desired_logit_prob: o.desiredLogitProb,
    batch_size: o.batchSize,
    ...(o.maxFeatureNodes === null ? {} : { max_feature_nodes: o.maxFeatureNodes }),
  };
  const metadata = {
    slug: o.slug,
    scan: o.scan ?? w.transcoders.scan,
    transcoder_list: [] as string[],
    prompt_tokens: tokens.map((t) => w.tokenizer.decodeOne(t)),
    prompt: w.tokenizer.decode(tokens),
    node_threshold: o.nodeThreshold,
    schema_version: 1,
    generation_settings,
    pruning_settings: { node_threshold: o.nodeThreshold, edge_threshold: o.edgeThreshold },
    info: { generator: { name: "circuitboard-gpu-worker", version: packageVersion() }, create_time_ms: Date.now() },
    // Not in Neuronpedia's schema (which allows extra metadata keys); read by Circuitboard.
    scores: { replacement_score: scores.replacement, completeness_score: scores.completeness },
  };
  const file = graphFromAttributionColumns(
    graphColumns(graph, pruned, { metadata, tokenString: (id) => w.tokenizer.decodeOne(id) }),
  );
  return { graph, file };
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string })
      .version;
  } catch {
    return "unknown";
  }
}
