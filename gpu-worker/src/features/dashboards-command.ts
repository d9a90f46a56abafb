/**
 * `worker dashboards --model DIR --transcoders DIR --corpus FILE [--corpus FILE …] --out DIR [options]`
 * Feature dashboards for every transcoder feature over a held-out corpus (see build-feature-dashboards.ts
 * and dashboard-files.ts for the output). Progress and logs go to stderr.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { parseDeviceChoice } from "../engine/onnx/select-device";
import { workerEnv } from "../env";
import { loadModelWeights } from "../models/load-model-weights";
import { loadTokenizer } from "../models/load-tokenizer";
import { loadTranscoderSet } from "../models/load-transcoder-set";
import { createProgressBar } from "../progress-bar";
import { buildFeatureDashboards, DEFAULT_DASHBOARD_OPTIONS } from "./build-feature-dashboards";
import { corpusWindows, readCorpusDocuments } from "./corpus-windows";
import { createActivationEngine } from "./create-activation-engine";
import { createDashboardWriter } from "./dashboard-files";

export const DASHBOARDS_USAGE = `usage: worker dashboards --model DIR --transcoders DIR --corpus FILE [--corpus FILE …] --out DIR [options]
  --corpus FILE             held-out text: .jsonl with a "text" field per line, or plain text (blank-line separated documents)
  --max-windows N           windows of the corpus to read at most (default 2048)
  --window-tokens T         tokens per window, BOS included (default 64)
  --top-k K                 top activating examples per feature (default 20)
  --quantiles Q             activation intervals sampled below the top (power of two, default 8)
  --per-quantile S          examples sampled per interval (default 5)
  --bins B                  histogram bins per sign (power of two, default 32)
  --context-before N        tokens shown before an example's token (default 32)
  --context-after N         and after it (default 8)
  --n-logits N              top and bottom output logits (default 10)
  --seed N                  reservoir sampling seed (default 1)
  --per-feature-json        also write features/{index}.json, one Neuronpedia feature-details file per feature
  --device auto|cpu|webgpu|cuda   execution provider (default $WORKER_DEVICE, else auto)
  --engine onnx|reference   onnx (default) or the float64 reference`;

export async function dashboardsCommand(argv: string[]): Promise<number> {
  const { values: a } = parseArgs({
    args: argv,
    options: {
      model: { type: "string" },
      transcoders: { type: "string" },
      corpus: { type: "string", multiple: true },
      out: { type: "string" },
      "max-windows": { type: "string" },
      "window-tokens": { type: "string" },
      "top-k": { type: "string" },
      quantiles: { type: "string" },
      "per-quantile": { type: "string" },
      bins: { type: "string" },
      "context-before": { type: "string" },
      "context-after": { type: "string" },
      "n-logits": { type: "string" },
      seed: { type: "string" },
      "per-feature-json": { type: "boolean" },
      device: { type: "string" },
      engine: { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (a.help) return (process.stderr.write(`${DASHBOARDS_USAGE}\n`), 0);
  for (const key of ["model", "transcoders", "out"] as const)
    if (!a[key]) throw new Error(`dashboards: missing --${key}\n${DASHBOARDS_USAGE}`);
  if (!a.corpus?.length) throw new Error(`dashboards: missing --corpus\n${DASHBOARDS_USAGE}`);
  const int = (key: keyof typeof a, fallback: number, min: number): number => {
    const raw = a[key];
    if (raw === undefined) return fallback;
    const v = Number(raw);
    if (!Number.isInteger(v) || v < min)
      throw new Error(`--${key}: expected an integer ≥ ${min}, got "${String(raw)}"`);
    return v;
  };
  const powerOfTwo = (key: keyof typeof a, fallback: number): number => {
    const v = int(key, fallback, 1);
    if ((v & (v - 1)) !== 0) throw new Error(`--${key}: expected a power of two, got "${String(a[key])}"`);
    return v;
  };
  const device = parseDeviceChoice(a.device ?? workerEnv().WORKER_DEVICE);
  const engineKind = a.engine ?? "onnx";
  if (engineKind !== "onnx" && engineKind !== "reference")
    throw new Error(`--engine: expected onnx or reference, got "${engineKind}"`);
  const sizes = {
    topK: int("top-k", 20, 1),
    quantiles: powerOfTwo("quantiles", 8),
    perQuantile: int("per-quantile", 5, 1),
    bins: powerOfTwo("bins", 32),
  };
  if (sizes.quantiles > sizes.bins)
    throw new Error(`--quantiles (${sizes.quantiles}) must not exceed --bins (${sizes.bins})`);
  const windowTokens = int("window-tokens", 64, 2);
  const maxWindows = int("max-windows", 2048, 1);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const bar = createProgressBar();

  const model = loadModelWeights(a.model!);
  const tokenizer = loadTokenizer(a.model!);
  // Every decoder row is read for the output logits, so read them once, eagerly.
  const set = loadTranscoderSet(a.transcoders!, { lazyDecoder: false });
  const corpus = a.corpus.map((p) => resolve(p));
  const windows = corpusWindows(corpus.flatMap(readCorpusDocuments), tokenizer, model.config, {
    windowTokens,
    maxWindows,
  });
  log(`corpus: ${windows.length} windows × ${windowTokens} tokens from ${corpus.join(", ")}`);
  const engine = await createActivationEngine(engineKind, model, set, device, log);
  log(`execution: ${engine.name}; ${set.n_layers} layers × ${set.d_transcoder} features`);
  const writer = createDashboardWriter(a.out!, { isPerFeatureJson: a["per-feature-json"] ?? false });
  const options = {
    sizes,
    contextBefore: int("context-before", DEFAULT_DASHBOARD_OPTIONS.contextBefore, 0),
    contextAfter: int("context-after", DEFAULT_DASHBOARD_OPTIONS.contextAfter, 0),
    nLogits: int("n-logits", 10, 1),
    seed: int("seed", 1, 0),
  };
  try {
    const started = performance.now();
    const summary = await buildFeatureDashboards(
      engine,
      model,
      set,
      windows,
      (id) => tokenizer.decodeOne(id),
      { ...options, onProgress: (p) => bar.update(p), log },
      (l, records) => writer.writeLayer(l, records),
    );
    writer.finish({
      model: resolve(a.model!),
      transcoders: resolve(a.transcoders!),
      scan: set.scan,
      transcoder_kind: set.kind,
      n_layers: set.n_layers,
      d_transcoder: set.d_transcoder,
      corpus,
      window_tokens: windowTokens,
      n_windows: summary.n_windows,
      n_tokens_per_layer: summary.n_tokens,
      options,
      logit_method:
        "c(sum of decoder rows) · (ln_f weight ⊙ W_U); c = mean-centring for LayerNorm; final-norm denominator, biases and softcap left out",
      layers: summary.layers,
      engine: engine.name,
      created_at: new Date().toISOString(),
    });
    log(
      `wrote ${a.out}: ${set.n_layers} layer files, index.json.gz, dashboards.json in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  } finally {
    await engine.dispose();
  }
  return 0;
}
