// Benchmark: one attribution graph per prompt length (8, 32, 128 tokens), split by phase, with peak
// memory, and the adjoint's achieved GFLOP/s against the best float32 MatMul onnxruntime reaches on the
// same machine in the same run (issue 4, "Benchmarks"; goal: adjoint ≥ 50 % of that MatMul).
//
//   npx tsx bench/attribution.ts                   the report's numbers: CPU, random 6 × 512 model (+ demo model if present)
//   npx tsx bench/attribution.ts --device cuda     the same on CUDA; says it skipped when there is no CUDA provider / GPU
//   npx tsx bench/attribution.ts --gemma2-2b       adds Gemma-2-2B-sized random weights (≈ 32 GB RAM, 20 GB disk;
//                                                  refuses on a smaller machine unless --force; see attribution-models.ts)
//   options: --tokens 8,32,128  --models random,demo  --max-feature-nodes 7500|all  --batch-size 256
//            --profile: also the adjoint's kernel time by operator (onnxruntime's profiler; slows the run a little)
//            --denormal-as-zero: every case with "session.set_denormal_as_zero" (the change proposed in the report);
//            by default only one extra case, at --ftz-check 8 tokens (0: none), runs that way for comparison
//
// Every case runs in its own child process, so one case's heap and onnxruntime arenas never count
// towards another's. A child loads the model (timed: "load"), generates a 4-token graph to warm the
// sessions up, then the measured graph through generateGraph, the worker's own per-request path
// (tokenize, attribute, prune, score, build the JSON). Phase times come from the engine's `log` hook
// ("phase …: done in … s", "pruning and scores: … s"); inside phases the engine object is wrapped so
// every forward / transcoder / adjoint session run is timed and its FLOPs counted from the shapes.
// Memory: peak RSS of the child (getrusage maxRSS: model, sessions and graph together), RSS after
// loading, and the peak during the measured graph above the RSS just before it, sampled every 2 ms
// from a worker thread.
// Settings are the command line's defaults (max_feature_nodes 7500, batch 256, 10 logits, 0.8 / 0.98).

import { fork } from "node:child_process";
import { readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { cpus, loadavg, totalmem } from "node:os";
import { Worker } from "node:worker_threads";
import * as ort from "onnxruntime-node";
import type { AdjointBatch, AdjointRunner, AdjointSources } from "~/gpu-worker/src/engine/adjoint-types";
import { DEFAULT_ATTRIBUTE_OPTIONS } from "~/gpu-worker/src/engine/attribution/attribute";
import type { AttributionEngine } from "~/gpu-worker/src/engine/attribution-engine";
import type { DeviceChoice } from "~/gpu-worker/src/engine/onnx/create-onnx-session";
import { generateGraph, loadWorkerModel, type LoadedWorkerModel } from "~/gpu-worker/src/generate-graph";
import { ensureBos } from "~/gpu-worker/src/models/load-tokenizer";
import {
  ensureRandomModel,
  findDemoModel,
  GEMMA2_2B_COST,
  OUT_DIR,
  RANDOM_D512,
  RANDOM_GEMMA2_2B,
  type BenchModel,
} from "./attribution-models";
import { CPU_SHAPES, CUDA_SHAPES, measureMatMul, type MatMulResult } from "./attribution-matmul";

const WARMUP_TOKENS = 4;

interface CaseSpec {
  model: BenchModel;
  tokens: number;
  device: DeviceChoice;
  maxFeatureNodes: number | null;
  batchSize: number;
  /** Run with onnxruntime's profiler on and return the adjoint session's kernel time by operator. */
  isProfiled: boolean;
  /**
   * Sets onnxruntime's "session.set_denormal_as_zero" on every session (flush-to-zero / denormals-are-zero
   * on its threads): the engine change this benchmark proposes, measurable before it is made.
   */
  isDenormalAsZero: boolean;
}

interface CaseResult {
  engine: string;
  tokens: number;
  nLayers: number;
  nAct: number;
  M: number;
  K: number;
  N: number;
  batches: number;
  loadS: number;
  graphS: number;
  /** Wall time of each logged phase: "0 precompute", "3 logit rows", "4 feature rows", "5 packaging", "prune". */
  phaseS: Record<string, number>;
  forwardS: number;
  transcoderPassS: number;
  /** Σ of the adjoint session runs (phases 3 and 4). */
  adjointRunS: number;
  /** Phase 4 time between session runs that start a new influence-ordered queue (re-ranking + row scatter). */
  rankGapS: number;
  /** Phase 4 time between the other session runs (row scatter into the (n_act + (L+1)·T)-wide rows). */
  scatterGapS: number;
  adjointUsefulGflop: number;
  adjointExecutedGflop: number;
  rssLoadedBytes: number;
  graphPeakAboveBytes: number;
  maxRssBytes: number;
  /** With --profile: the adjoint session's kernel time by operator (measured graph only). */
  adjointOps: OpTime[] | null;
  /** Σ of every InferenceSession.run (forward, transcoders, adjoint) during the measured graph, in seconds. */
  sessionRunS: number;
}

/**
 * Every InferenceSession.run of this process, timed (the prototype is wrapped once per child): the
 * time onnxruntime is busy. The rest of a graph's wall time is the JavaScript thread working while
 * onnxruntime idles, the share issue 16 asks to bring under 15 %.
 */
const sessionRuns = { totalMs: 0, inFlight: 0, since: 0 };
function timeSessionRuns(): void {
  const factory = ort.InferenceSession as unknown as {
    create: (...args: unknown[]) => Promise<ort.InferenceSession>;
  };
  const create = factory.create.bind(ort.InferenceSession);
  factory.create = async (...args: unknown[]) => {
    const session = await create(...args);
    const run = session.run.bind(session) as (...a: unknown[]) => Promise<ort.InferenceSession.OnnxValueMapType>;
    (session as unknown as { run: typeof run }).run = async (...a: unknown[]) => {
      if (sessionRuns.inFlight++ === 0) sessionRuns.since = performance.now();
      try {
        return await run(...a);
      } finally {
        if (--sessionRuns.inFlight === 0) sessionRuns.totalMs += performance.now() - sessionRuns.since;
      }
    };
    return session;
  };
}

interface OpTime {
  op: string;
  calls: number;
  seconds: number;
}

// ---------------------------------------------------------------------------------------------------------
// Adjoint FLOPs, from the shapes of one batch (B rows; t = last target position + 1, the causal prefix the
// engine runs on; layers 0 … min(top, L − 1) run, where top = the highest target layer, L for logits).
// Per layer l that runs, multiply-adds ×2:
//   decoder contraction  2·B·d·n_l(<t)        every active decoder row of layer l before t, with its own
//                                             position's gradient (executed: 2·B·t·d·c_l, rows padded to
//                                             c_l slots per position)
//   error contraction    2·B·t·d
//   skip                 2·B·t·d²             (only with W_skip)
//   W_Oᵀ                 2·B·t·d·(H·dh)
//   frozen pattern Pᵀ    2·B·H·dh·t(t+1)/2    causal half (executed: 2·B·H·dh·t², the dense product)
//   W_Vᵀ                 2·B·t·(Hkv·dh)·d
// plus the token contraction 2·B·t·d once. The norm adjoints and injections are elementwise O(B·t·d) and
// not counted. "Useful" is the work the algorithm needs; "executed" is what the ONNX graph multiplies.
interface DecoderRowCounts {
  /** rowsBefore[t] = decoder rows of this layer at positions < t. */
  rowsBefore: Int32Array; // [T + 1]
  /** Most rows at one position: the engine pads every position to this many slots. */
  slots: number;
}

function countDecoderRows(sources: AdjointSources, T: number): DecoderRowCounts[] {
  return sources.decoderRows.map(({ pos }) => {
    const perPos = new Int32Array(T); // (T)
    for (const p of pos) perPos[p]! += 1;
    const rowsBefore = new Int32Array(T + 1);
    let slots = 1;
    for (let p = 0; p < T; p++)
      ((rowsBefore[p + 1] = rowsBefore[p]! + perPos[p]!), (slots = Math.max(slots, perPos[p]!)));
    return { rowsBefore, slots };
  });
}

function adjointFlops(
  w: LoadedWorkerModel,
  rows: DecoderRowCounts[],
  batch: AdjointBatch,
): { useful: number; executed: number } {
  const { n_layers: L, d_model: d, n_heads: H, n_kv_heads: Hkv, d_head: dh } = w.model.config;
  const B = batch.layer.length;
  const t = batch.pos.reduce((a, p) => Math.max(a, p), 0) + 1;
  const top = Math.min(
    batch.layer.reduce((a, l) => Math.max(a, l), 0),
    L - 1,
  );
  let useful = 2 * B * t * d,
    executed = 2 * B * t * d; // token contraction
  for (let l = 0; l <= top; l++) {
    const skip = w.transcoders.layers[l]!.W_skip ? 2 * B * t * d * d : 0;
    const dense = 2 * B * t * d + skip + 2 * B * t * d * H * dh + 2 * B * t * Hkv * dh * d; // error, skip, W_Oᵀ, W_Vᵀ
    useful += dense + 2 * B * d * rows[l]!.rowsBefore[t]! + B * H * dh * t * (t + 1);
    executed += dense + 2 * B * t * d * rows[l]!.slots + 2 * B * H * dh * t * t;
  }
  return { useful, executed };
}

// ---------------------------------------------------------------------------------------------------------
// Child: one case.

async function runCase(spec: CaseSpec): Promise<CaseResult> {
  const log = (line: string) => process.stderr.write(`  [${spec.model.name} T=${spec.tokens}] ${line}\n`);
  const profiled =
    spec.isProfiled || spec.isDenormalAsZero
      ? patchSessionOptions(spec.tokens, spec.isProfiled, spec.isDenormalAsZero)
      : null;
  timeSessionRuns();
  const loadStarted = performance.now();
  const w = await loadWorkerModel({
    modelDir: spec.model.modelDir,
    transcodersDir: spec.model.transcodersDir,
    engine: "onnx",
    device: spec.device,
    log,
  });
  const loadS = (performance.now() - loadStarted) / 1000;
  const rssLoadedBytes = process.memoryUsage.rss();

  // The engine, wrapped: every session run timed, every adjoint batch's FLOPs counted.
  const inner = w.engine;
  const m = {
    forwardS: 0,
    transcoderPassS: 0,
    adjointRunS: 0,
    useful: 0,
    executed: 0,
    runs: [] as { start: number; end: number }[],
  };
  const timed = async <R>(run: () => Promise<R>, add: (s: number) => void): Promise<R> => {
    const started = performance.now();
    const r = await run();
    add((performance.now() - started) / 1000);
    return r;
  };
  const engine: AttributionEngine = {
    name: inner.name,
    forward: (tokens) =>
      timed(
        () => inner.forward(tokens),
        (s) => (m.forwardS += s),
      ),
    transcoders: (cache) =>
      timed(
        () => inner.transcoders(cache),
        (s) => (m.transcoderPassS += s),
      ),
    adjoint(cache, sources): AdjointRunner {
      const runner = inner.adjoint(cache, sources);
      const rows = countDecoderRows(sources, cache.n_tokens);
      return {
        async run(batch) {
          const flops = adjointFlops(w, rows, batch);
          const start = performance.now();
          const result = await runner.run(batch);
          const end = performance.now();
          m.runs.push({ start, end });
          m.adjointRunS += (end - start) / 1000;
          m.useful += flops.useful;
          m.executed += flops.executed;
          return result;
        },
        dispose: () => runner.dispose(),
      };
    },
    dispose: () => inner.dispose(),
  };
  const bench: LoadedWorkerModel = { ...w, engine };

  const phaseS: Record<string, number> = {};
  const options = {
    ...DEFAULT_ATTRIBUTE_OPTIONS,
    maxFeatureNodes: spec.maxFeatureNodes,
    batchSize: spec.batchSize,
    nodeThreshold: 0.8,
    edgeThreshold: 0.98,
    slug: "bench",
    scan: null,
    log: (line: string) => {
      const phase = /^phase (.+): done in ([\d.]+) s/.exec(line);
      if (phase) phaseS[phase[1]!] = Number(phase[2]);
      const prune = /^pruning and scores: ([\d.]+) s/.exec(line);
      if (prune) phaseS.prune = Number(prune[1]);
      if (/active features|pruning and scores/.test(line)) log(line);
    },
  };
  await generateGraph(bench, promptOfLength(w, spec.model.words, WARMUP_TOKENS), options); // warm-up
  const warmupRuns = m.runs.length;
  Object.assign(m, { forwardS: 0, transcoderPassS: 0, adjointRunS: 0, useful: 0, executed: 0, runs: [] });
  for (const key of Object.keys(phaseS)) delete phaseS[key];

  const sampler = startRssSampler();
  const rssBefore = process.memoryUsage.rss();
  const prompt = promptOfLength(w, spec.model.words, spec.tokens);
  sessionRuns.totalMs = 0;
  const graphStarted = performance.now();
  const { graph } = await generateGraph(bench, prompt, options);
  const graphS = (performance.now() - graphStarted) / 1000;
  const sessionRunS = sessionRuns.totalMs / 1000;
  const graphPeak = await sampler.stop();

  // Phase 4 gaps between session runs: the first run is the logit batch (K ≤ 256 targets); feature batch j
  // starts a new influence-ordered queue when j is a multiple of updateInterval (only when M < n_act).
  const nAct = graph.active.layer.length;
  const M = graph.selected.length;
  const isRanked = M < nAct;
  let rankGapS = 0,
    scatterGapS = 0;
  const logitBatches = Math.ceil(graph.logitTargets.length / spec.batchSize);
  for (let i = logitBatches; i < m.runs.length; i++) {
    const gapS = (m.runs[i]!.start - m.runs[i - 1]!.end) / 1000;
    const j = i - logitBatches;
    if (isRanked && j % DEFAULT_ATTRIBUTE_OPTIONS.updateInterval === 0) rankGapS += gapS;
    else scatterGapS += gapS;
  }
  return {
    engine: w.engine.name,
    tokens: graph.tokens.length,
    nLayers: graph.n_layers,
    nAct,
    M,
    K: graph.logitTargets.length,
    N: graph.n_nodes,
    batches: m.runs.length,
    loadS,
    graphS,
    phaseS,
    forwardS: m.forwardS,
    transcoderPassS: m.transcoderPassS,
    adjointRunS: m.adjointRunS,
    rankGapS,
    scatterGapS,
    adjointUsefulGflop: m.useful / 1e9,
    adjointExecutedGflop: m.executed / 1e9,
    rssLoadedBytes,
    graphPeakAboveBytes: Math.max(0, graphPeak - rssBefore),
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    adjointOps: spec.isProfiled ? await profiled!.adjointOps(warmupRuns) : null,
    sessionRunS,
  };
}

/**
 * Changes the options of every session the engine creates from here on (InferenceSession.create is
 * patched: the engine takes no session options): onnxruntime's profiler, and/or denormals flushed to zero.
 * With the profiler, `adjointOps` reads the adjoint session's trace at the end: kernel time per operator
 * (If nodes left out: their branches' nodes are listed themselves), MatMuls split by what they multiply
 * (recognised from their input shapes; initializers are not listed), counting only the runs after the
 * first `skipRuns` (the warm-up graph).
 */
function patchSessionOptions(tokens: number, isProfiled: boolean, isDenormalAsZero: boolean) {
  const sessions: ort.InferenceSession[] = [];
  const create = ort.InferenceSession.create.bind(ort.InferenceSession) as (
    source: unknown,
    options?: ort.InferenceSession.SessionOptions,
  ) => Promise<ort.InferenceSession>;
  (ort.InferenceSession as unknown as { create: typeof create }).create = async (source, options) => {
    const prefix = join(OUT_DIR, `profile-T${tokens}-${process.pid}-${sessions.length}`);
    const session = await create(source, {
      ...options,
      ...(isProfiled ? { enableProfiling: true, profileFilePrefix: prefix } : {}),
      ...(isDenormalAsZero ? { extra: { session: { set_denormal_as_zero: "1" } } } : {}),
    });
    sessions.push(session);
    return session;
  };
  return {
    async adjointOps(skipRuns: number): Promise<OpTime[]> {
      const index = sessions.findIndex((s) => s.inputNames.includes("inj_vecs"));
      await sessions[index]!.endProfiling();
      const ours = readdirSync(OUT_DIR).filter((f) => f.startsWith(`profile-T${tokens}-${process.pid}-`));
      const file = ours.find((f) => f.startsWith(`profile-T${tokens}-${process.pid}-${index}_`));
      if (!file) throw new Error("profile: the adjoint session wrote no trace");
      type TEvent = {
        cat: string;
        name: string;
        ts: number;
        dur: number;
        args?: { op_name?: string; input_type_shape?: Record<string, number[]>[] };
      };
      const events = (JSON.parse(readFileSync(join(OUT_DIR, file), "utf8")) as TEvent[]).sort((a, b) => a.ts - b.ts);
      // The adjoint's trace is kept for chrome://tracing / Perfetto; the other sessions' are not needed.
      renameSync(join(OUT_DIR, file), join(OUT_DIR, `adjoint-profile-T${tokens}.json`));
      ours.filter((f) => f !== file).forEach((f) => rmSync(join(OUT_DIR, f)));
      const runStarts = events.filter((e) => e.cat === "Session" && e.name === "model_run").map((e) => e.ts);
      const from = runStarts[skipRuns] ?? 0;
      const byOp = new Map<string, OpTime>();
      for (const e of events) {
        if (e.cat !== "Node" || !e.name.endsWith("_kernel_time") || e.ts < from || e.args?.op_name === "If") continue;
        let op = e.args?.op_name ?? "?";
        if (op === "MatMul" || op === "FusedMatMul") {
          const ranks = (e.args?.input_type_shape ?? []).map((shape) => Object.values(shape)[0]?.length ?? 0);
          op +=
            ranks.length === 1
              ? " g @ W (W_Oᵀ, W_Vᵀ, W_skipᵀ)"
              : ranks[1] === 4
                ? " Pᵀ @ g (attention)"
                : ranks[1] === 3
                  ? " decoder contraction"
                  : " (other)";
        }
        const entry = byOp.get(op) ?? { op, calls: 0, seconds: 0 };
        entry.calls += 1;
        entry.seconds += e.dur / 1e6;
        byOp.set(op, entry);
      }
      return [...byOp.values()].sort((a, b) => b.seconds - a.seconds);
    },
  };
}

/** A prompt of exactly `T` tokens with the BOS: words appended one at a time while they fit. */
function promptOfLength(w: LoadedWorkerModel, words: string[], T: number): string {
  const count = (text: string) => ensureBos(w.tokenizer.encode(text), w.tokenizer, w.model.config).length;
  let prompt = "";
  for (let i = 0; count(prompt) < T && i < 20 * T; i++) {
    const word = words[(i * 7 + 3) % words.length]!; // a fixed, non-repeating-looking walk through the words
    const next = prompt ? `${prompt} ${word}` : word;
    if (count(next) <= T) prompt = next;
  }
  if (count(prompt) !== T)
    throw new Error(`promptOfLength: could not build a ${T}-token prompt (got ${count(prompt)})`);
  return prompt;
}

/** Process RSS sampled every 2 ms from a worker thread, which keeps sampling while the main thread computes. */
function startRssSampler(): { stop(): Promise<number> } {
  const worker = new Worker(
    `const { parentPort } = require("node:worker_threads");
     let peak = process.memoryUsage.rss();
     const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 2);
     parentPort.on("message", () => { clearInterval(timer); parentPort.postMessage(Math.max(peak, process.memoryUsage.rss())); });`,
    { eval: true },
  );
  return {
    stop: () =>
      new Promise<number>((resolve) => {
        worker.once("message", (peak: number) => void worker.terminate().then(() => resolve(peak)));
        worker.postMessage("stop");
      }),
  };
}

async function runMatMul(device: DeviceChoice): Promise<MatMulResult[]> {
  const results: MatMulResult[] = [];
  for (const shape of device === "cuda" ? CUDA_SHAPES : CPU_SHAPES) results.push(await measureMatMul(shape, device));
  return results;
}

// ---------------------------------------------------------------------------------------------------------
// Parent: the run, the tables.

type ChildMessage = { ok: true; value: unknown } | { ok: false; error: string };

function inChild<R>(args: string[]): Promise<R> {
  return new Promise((resolve, reject) => {
    const child = fork(import.meta.filename, ["--child", ...args], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    let message: ChildMessage | null = null;
    child.on("message", (m: ChildMessage) => (message = m));
    child.on("exit", (code, signal) => {
      const m = message as ChildMessage | null;
      if (m?.ok) resolve(m.value as R);
      else reject(new Error(m && !m.ok ? m.error : `child exited with ${signal ?? code} (out of memory?)`));
    });
  });
}

async function childMain(kind: string, json: string): Promise<void> {
  let reply: ChildMessage;
  try {
    const value =
      kind === "matmul"
        ? await runMatMul(JSON.parse(json) as DeviceChoice)
        : await runCase(JSON.parse(json) as CaseSpec);
    reply = { ok: true, value };
  } catch (error) {
    reply = { ok: false, error: error instanceof Error ? error.message.split("\n")[0]! : String(error) };
  }
  process.send!(reply, () => process.exit(0));
}

const GB = 1e9;
const fmt = (v: number, digits = 2) => v.toFixed(digits);
const mb = (bytes: number) => `${Math.round(bytes / 1e6)}`;

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  return [
    line(header),
    `|${widths.map((w, i) => (i === 0 ? ":" : "-") + "-".repeat(w) + (i === 0 ? "-" : ":")).join("|")}|`,
    ...rows.map(line),
  ].join("\n");
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === "--child") return childMain(argv[1]!, argv[2]!);
  const flag = (name: string) => argv.includes(`--${name}`);
  const value = (name: string, fallback: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] ? argv[i + 1]! : fallback;
  };
  const device = value("device", "cpu");
  if (device !== "cpu" && device !== "cuda") throw new Error(`--device: expected cpu or cuda, got "${device}"`);
  const tokenCounts = value("tokens", "8,32,128").split(",").map(Number);
  const modelNames = value("models", "random,demo").split(",");
  const maxFeatureNodes =
    value("max-feature-nodes", "7500") === "all" ? null : Number(value("max-feature-nodes", "7500"));
  const batchSize = Number(value("batch-size", "256"));
  const started = performance.now();

  console.log(`# Attribution benchmark (${new Date().toISOString()})`);
  console.log(
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, ${fmt(totalmem() / GB, 1)} GB RAM, load average ${loadavg()
      .map((v) => fmt(v))
      .join(" / ")} (shared machine: timings are noisy)`,
  );
  console.log(
    `node ${process.version}, onnxruntime-node ${ort.env.versions.common}, device ${device}; max_feature_nodes ${maxFeatureNodes ?? "all"}, batch ${batchSize}, prompts ${tokenCounts.join(" / ")} tokens\n`,
  );

  // 1. The yardstick, in its own process, before the cases and again after them: the machine is shared,
  //    and the better of the two passes is the figure this machine can reach.
  const measureYardstick = async (): Promise<MatMulResult[] | null> => {
    try {
      return await inChild<MatMulResult[]>(["matmul", JSON.stringify(device)]);
    } catch (error) {
      if (device !== "cuda") throw error;
      console.log(`CUDA: skipped — ${(error as Error).message}`);
      console.log(
        "(onnxruntime-node's CUDA provider is a separate download by its install script, and needs an NVIDIA GPU with CUDA 12 / cuDNN 9.)",
      );
      return null;
    }
  };
  const matmulBefore = await measureYardstick();
  if (!matmulBefore) return;

  // 2. The models.
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const models: BenchModel[] = [];
  if (modelNames.includes("demo")) {
    const demo = findDemoModel();
    if (demo) models.push(demo);
    else console.log("demo model: not found (gpu-worker/assets/circuitboard-demo-gpt2{,-transcoders}); skipped\n");
  }
  if (modelNames.includes("random")) models.push(await ensureRandomModel(RANDOM_D512, log));
  if (flag("gemma2-2b")) {
    if (totalmem() < GEMMA2_2B_COST.ramBytes && !flag("force")) {
      console.log(
        `gemma2-2b: skipped — needs about ${fmt(GEMMA2_2B_COST.ramBytes / GB, 0)} GB RAM and ${fmt(GEMMA2_2B_COST.diskBytes / GB, 0)} GB disk, this machine has ${fmt(totalmem() / GB, 0)} GB RAM (--force to try anyway)\n`,
      );
    } else models.push(await ensureRandomModel(RANDOM_GEMMA2_2B, log));
  }
  // Each model's prompt lengths, then one more case with denormals flushed to zero (the proposed engine
  // change), at --ftz-check tokens (default 8; 0 skips it), unless every case already runs that way.
  const isDenormalAsZero = flag("denormal-as-zero");
  const ftzTokens = isDenormalAsZero ? 0 : Number(value("ftz-check", "8"));
  const cases: { model: BenchModel; results: (CaseResult & { label: string })[] }[] = [];
  for (const model of models) {
    const results: (CaseResult & { label: string })[] = [];
    const plan = [
      ...tokenCounts.map((tokens) => ({ tokens, ftz: isDenormalAsZero })),
      ...(ftzTokens > 0 ? [{ tokens: ftzTokens, ftz: true }] : []),
    ];
    for (const { tokens, ftz } of plan) {
      const label = `${tokens}${ftz ? " denormal→0" : ""}`;
      log(`${model.name}: ${label} tokens …`);
      try {
        const spec: CaseSpec = {
          model,
          tokens,
          device,
          maxFeatureNodes,
          batchSize,
          isProfiled: flag("profile"),
          isDenormalAsZero: ftz,
        };
        results.push({ ...(await inChild<CaseResult>(["case", JSON.stringify(spec)])), label });
      } catch (error) {
        console.log(`${model.name}, ${label} tokens: failed — ${(error as Error).message}`);
      }
    }
    cases.push({ model, results });
  }
  const matmulAfter = (await measureYardstick())!;

  console.log(
    `## fp32 MatMul on onnxruntime/${device}: X[M, K] @ W[K, K], R chained per run, best of ≥ 3 runs, before and after the cases`,
  );
  console.log(
    table(
      ["M × K × K", "R", "GFLOP/run", "GFLOP/s before", "GFLOP/s after"],
      matmulBefore.map((r, i) => [
        `${r.M} × ${r.K} × ${r.K}`,
        String(r.R),
        fmt(r.gflops, 1),
        fmt(r.gflopPerSecond, 1),
        fmt(matmulAfter[i]!.gflopPerSecond, 1),
      ]),
    ),
  );
  const best = [...matmulBefore, ...matmulAfter].reduce((a, b) => (b.gflopPerSecond > a.gflopPerSecond ? b : a));
  console.log(`best: ${fmt(best.gflopPerSecond, 1)} GFLOP/s (${best.M} × ${best.K} × ${best.K})\n`);
  for (const { model, results } of cases) if (results.length > 0) printModel(model, results, best.gflopPerSecond);
  console.log(`total benchmark time ${fmt((performance.now() - started) / 1000, 0)} s`);
}

function printModel(model: BenchModel, results: (CaseResult & { label: string })[], bestGflopPerSecond: number): void {
  console.log(`## ${model.name} (${model.summary}) on ${results[0]!.engine}`);
  console.log(
    `times in seconds; "load" (model + sessions, once per worker) is not part of the graph; "adjoint runs" = the runner's`,
  );
  console.log(
    `run() calls (session + its JS input/output copies); re-rank / scatter = phase 4 time between them (see runCase);`,
  );
  console.log(
    `"ORT busy" = Σ of every InferenceSession.run during the graph; JS-busy/ORT-idle = the rest, as a share of the graph (goal < 15 %)\n`,
  );
  console.log(
    table(
      [
        "tokens",
        "n_act",
        "M",
        "N",
        "batches",
        "load",
        "0 precompute",
        "(forward",
        "tc pass)",
        "3 logit rows",
        "4 feature rows",
        "(adjoint runs",
        "re-rank",
        "scatter)",
        "5 pack",
        "prune+scores",
        "json etc.",
        "graph total",
        "ORT busy",
        "JS-busy/ORT-idle",
      ],
      results.map((r) => {
        const p = (k: string) => r.phaseS[k] ?? 0;
        const other =
          r.graphS - p("0 precompute") - p("3 logit rows") - p("4 feature rows") - p("5 packaging") - p("prune");
        return [
          r.label,
          String(r.nAct),
          String(r.M),
          String(r.N),
          String(r.batches),
          fmt(r.loadS),
          fmt(p("0 precompute")),
          fmt(r.forwardS),
          fmt(r.transcoderPassS),
          fmt(p("3 logit rows")),
          fmt(p("4 feature rows")),
          fmt(r.adjointRunS),
          fmt(r.rankGapS),
          fmt(r.scatterGapS),
          fmt(p("5 packaging")),
          fmt(p("prune")),
          fmt(other),
          fmt(r.graphS),
          fmt(r.sessionRunS),
          `${fmt((100 * (r.graphS - r.sessionRunS)) / r.graphS, 1)} %`,
        ];
      }),
    ),
  );
  console.log(
    `\nmemory in MB: RSS after load; peak RSS during the graph above the RSS just before it; the child's peak RSS (getrusage);\nthe working rows E of phase 4 and the packed rows the graph keeps, computed from the shapes\n`,
  );
  console.log(
    table(
      ["tokens", "RSS loaded", "graph peak Δ", "peak RSS", "E: (M+K)·(n_act+(L+1)·T)·4", "packed: (M+K)·N·4"],
      results.map((r) => [
        r.label,
        mb(r.rssLoadedBytes),
        mb(r.graphPeakAboveBytes),
        mb(r.maxRssBytes),
        mb(4 * (r.M + r.K) * (r.nAct + (r.nLayers + 1) * r.tokens)),
        mb(4 * (r.M + r.K) * r.N),
      ]),
    ),
  );
  console.log(
    `\nadjoint (phases 3 + 4) against the best MatMul, ${fmt(bestGflopPerSecond, 1)} GFLOP/s; goal ≥ 60 %; FLOPs: see adjointFlops\n`,
  );
  console.log(
    table(
      [
        "tokens",
        "useful GFLOP",
        "executed GFLOP",
        "adjoint runs s",
        "GFLOP/s (runs)",
        "% of MatMul",
        "phases 3+4 s",
        "GFLOP/s (phases)",
        "% of MatMul ",
      ],
      results.map((r) => {
        const phasesS = (r.phaseS["3 logit rows"] ?? 0) + (r.phaseS["4 feature rows"] ?? 0);
        const runRate = r.adjointUsefulGflop / r.adjointRunS,
          phaseRate = r.adjointUsefulGflop / phasesS;
        return [
          r.label,
          fmt(r.adjointUsefulGflop, 1),
          fmt(r.adjointExecutedGflop, 1),
          fmt(r.adjointRunS),
          fmt(runRate, 1),
          `${fmt((100 * runRate) / bestGflopPerSecond, 0)} %`,
          fmt(phasesS),
          fmt(phaseRate, 1),
          `${fmt((100 * phaseRate) / bestGflopPerSecond, 0)} %`,
        ];
      }),
    ),
  );
  for (const r of results.filter((r) => r.adjointOps)) {
    const total = r.adjointOps!.reduce((a, o) => a + o.seconds, 0);
    console.log(
      `\nadjoint kernel time by operator, ${r.label} tokens (onnxruntime profiler, measured graph; Σ ${fmt(total)} s of ${fmt(r.adjointRunS)} s in adjoint runs)\n`,
    );
    console.log(
      table(
        ["operator", "calls", "seconds", "share"],
        r
          .adjointOps!.slice(0, 14)
          .map((o) => [o.op, String(o.calls), fmt(o.seconds), `${fmt((100 * o.seconds) / total, 1)} %`]),
      ),
    );
  }
  console.log("");
}

if (import.meta.filename === process.argv[1] || process.argv[1]?.endsWith("bench/attribution.ts"))
  await main(process.argv.slice(2));
