// The Node side of the GPU check (bench/gpu-check.sh, issue 17), bundled by prepare-bundle.sh into one
// file that runs on a bare GPU machine without node_modules (onnxruntime-node travels beside it).
//
//   preflight --out FILE                    which GPU provider starts here, and why the others do not
//   devices --device D --out FILE CASE…     stage (a): forward + adjoint on D vs the CPU, CASE = NAME=MODEL_DIR,TRANSCODERS_DIR
//   hf --reference FILE --models DIR --devices D,… --out FILE
//                                           stage (b): the worker's logits vs transformers' (reference.py hf-logits)
//   timed --out FILE --log FILE -- CMD…     stage (c): runs CMD (the worker's attribute command), stamps each
//                                           stderr line with the time since start, sums up the phases
//
// Every comparison is relative in norm, ‖a − b‖₂ / ‖b‖₂, in float64; the bound is 1e-4.

import { spawn } from "node:child_process";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { createAttributionEngine, type AttributionEngine } from "~/gpu-worker/src/engine/attribution-engine";
import { attribute } from "~/gpu-worker/src/engine/attribution/attribute";
import type { ForwardCache } from "~/gpu-worker/src/engine/forward-cache";
import { createOnnxSession } from "~/gpu-worker/src/engine/onnx/create-onnx-session";
import { OnnxGraphBuilder } from "~/gpu-worker/src/engine/onnx/onnx-graph-builder";
import {
  cudaPrecondition,
  parseDeviceChoice,
  probeWebGpuInChild,
  webgpuPrecondition,
  type ExecutionProviderName,
} from "~/gpu-worker/src/engine/onnx/select-device";
import { loadModelWeights } from "~/gpu-worker/src/models/load-model-weights";
import { ensureBos, loadTokenizer } from "~/gpu-worker/src/models/load-tokenizer";
import { loadTranscoderSet } from "~/gpu-worker/src/models/load-transcoder-set";

const BOUND = 1e-4;
const log = (line: string) => process.stderr.write(`${line}\n`);

export function relNorm(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let num = 0,
    den = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    num += d * d;
    den += b[i]! * b[i]!;
  }
  return den === 0 ? Math.sqrt(num) : Math.sqrt(num / den);
}

function args(argv: string[]) {
  const named: Record<string, string> = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") return { named, rest: [...rest, ...argv.slice(i + 1)] };
    if (a.startsWith("--")) named[a.slice(2)] = argv[++i] ?? "";
    else rest.push(a);
  }
  return { named, rest };
}

function need(named: Record<string, string>, key: string): string {
  const v = named[key];
  if (!v) throw new Error(`missing --${key}`);
  return v;
}

/** A one-node graph y = 2x; enough to make a provider create its device. */
function probeGraph(): Uint8Array {
  const g = new OnnxGraphBuilder("probe");
  const x = g.input("x", "float", [1]);
  g.output("y", g.op("Mul", [x, g.weight("two", new Float32Array([2]), [1])]), "float", [1]);
  return g.toBytes();
}

async function preflight(out: string): Promise<void> {
  const result: Record<string, unknown> = {
    node: process.version,
    onnxruntime: ort.env.versions.common,
    platform: `${process.platform}-${process.arch}`,
    ld_library_path: process.env.LD_LIBRARY_PATH ?? null,
  };
  const providers: Record<string, { ok: boolean; reason: string | null; dawn?: string[]; ort_log?: string[] }> = {};
  for (const provider of ["webgpu", "cuda"] as const) {
    try {
      const { session } = await createOnnxSession(probeGraph(), provider, log);
      const y = (await session.run({ x: new ort.Tensor("float32", new Float32Array([3]), [1]) })).y!.data;
      await session.release();
      providers[provider] = { ok: y[0] === 6, reason: y[0] === 6 ? null : `2 × 3 gave ${String(y[0])}` };
    } catch (error) {
      providers[provider] = { ok: false, reason: (error as Error).message };
    }
  }
  // Dawn's own lines (adapter found or not, and why) from a child: they go to stderr, not to the error.
  // At verbose severity ORT also logs the device it created; the lines that name the adapter are kept.
  if (!webgpuPrecondition()) {
    const probe = await probeWebGpuInChild(probeGraph(), 60_000, 0);
    providers.webgpu!.dawn = probe.warnings;
    providers.webgpu!.ort_log = probe.log
      .filter((l) => /webgpu|adapter|vendor|device|dawn|vulkan/i.test(l))
      .slice(0, 40);
  }
  result.providers = providers;
  result.cuda_precondition = cudaPrecondition();
  result.gpu = providers.webgpu!.ok ? "webgpu" : providers.cuda!.ok ? "cuda" : null;
  writeFileSync(out, JSON.stringify(result, null, 2));
  log(`preflight: GPU provider ${String(result.gpu ?? "none")}`);
  for (const [p, r] of Object.entries(providers)) log(`  ${p}: ${r.ok ? "starts" : `unavailable — ${r.reason}`}`);
}

interface Case {
  name: string;
  modelDir: string;
  transcodersDir: string;
}

function parseCase(spec: string): Case {
  const m = /^([\w.-]+)=([^,]+),(.+)$/.exec(spec);
  if (!m) throw new Error(`case "${spec}": expected NAME=MODEL_DIR,TRANSCODERS_DIR`);
  return { name: m[1]!, modelDir: m[2]!, transcodersDir: m[3]! };
}

/** The prompt's ids: the model's tokenizer when it has one, else fixed ids inside its vocabulary. */
function promptTokens(modelDir: string, vocab: number, config: Parameters<typeof ensureBos>[2]): number[] {
  if (existsSync(join(modelDir, "tokenizer.json"))) {
    const tokenizer = loadTokenizer(modelDir);
    return ensureBos(tokenizer.encode("In the beginning God created the heaven and the earth"), tokenizer, config);
  }
  return [1, 17, 4, 99, 23, 8, 61, 4, 150, 42, 7, 200].map((t) => t % vocab);
}

const CACHE_FIELDS = ["embed", "x", "mlp_out", "patterns", "ln1_scale", "ln2_scale", "lnf_scale", "logits"] as const;

async function timed<T>(f: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = performance.now();
  const value = await f();
  return { value, seconds: (performance.now() - started) / 1000 };
}

async function devices(device: ExecutionProviderName, cases: Case[], out: string): Promise<boolean> {
  const results: Record<string, unknown>[] = [];
  let allOk = true;
  for (const c of cases) {
    log(`(a) ${c.name}: ${device} vs cpu`);
    const model = loadModelWeights(c.modelDir);
    const set = loadTranscoderSet(c.transcodersDir);
    const tokens = promptTokens(c.modelDir, model.config.d_vocab, model.config);
    const engines: Record<string, AttributionEngine> = {};
    const entry: Record<string, unknown> = { name: c.name, tokens: tokens.length, device };
    try {
      engines.cpu = await createAttributionEngine("onnx", model, set, "cpu", log);
      engines.gpu = await createAttributionEngine("onnx", model, set, device, log);
      entry.engine = engines.gpu.name;
      const caches: Record<string, ForwardCache> = {};
      for (const k of ["cpu", "gpu"]) caches[k] = await engines[k]!.forward(tokens); // also the profiled first run
      entry.forward = Object.fromEntries(CACHE_FIELDS.map((f) => [f, relNorm(caches.gpu![f], caches.cpu![f])]));
      const options = { batchSize: 64, maxFeatureNodes: 256 };
      const graphs: Record<string, Awaited<ReturnType<typeof attribute>>> = {};
      const seconds: Record<string, number> = {};
      for (const k of ["cpu", "gpu"]) {
        await attribute(engines[k]!, model, set, tokens, options); // warm-up (kernel choice, first-run profile)
        const t = await timed(() => attribute(engines[k]!, model, set, tokens, options));
        graphs[k] = t.value;
        seconds[k] = t.seconds;
      }
      const [a, b] = [graphs.gpu!, graphs.cpu!];
      entry.same_logit_targets =
        JSON.stringify(a.logitTargets.map((t) => t.vocabIdx)) === JSON.stringify(b.logitTargets.map((t) => t.vocabIdx));
      entry.same_selected = JSON.stringify(Array.from(a.selected)) === JSON.stringify(Array.from(b.selected));
      entry.rows = entry.same_selected && entry.same_logit_targets ? relNorm(a.rows, b.rows) : null;
      entry.seconds = seconds;
      entry.speedup_vs_cpu = seconds.cpu! / seconds.gpu!;
      const worst = Math.max(
        ...Object.values(entry.forward as Record<string, number>),
        (entry.rows as number) ?? Infinity,
      );
      entry.worst = worst;
      entry.ok = worst <= BOUND;
    } catch (error) {
      entry.ok = false;
      entry.error = (error as Error).message;
    } finally {
      for (const e of Object.values(engines)) await e.dispose();
    }
    allOk &&= entry.ok === true;
    log(`(a) ${c.name}: ${entry.ok ? "ok" : "FAILED"} ${JSON.stringify(entry)}`);
    results.push(entry);
  }
  writeFileSync(out, JSON.stringify({ stage: "a", bound: BOUND, ok: allOk, results }, null, 2));
  return allOk;
}

interface HfReference {
  transformers: string;
  torch: string;
  tokens: number[];
  models: Record<string, { shape: [number, number]; float32: number[]; float64: number[]; config_keys?: string[] }>;
}

async function hf(referencePath: string, modelsDir: string, deviceList: string[], out: string): Promise<boolean> {
  const ref = JSON.parse(readFileSync(referencePath, "utf8")) as HfReference;
  const results: Record<string, unknown>[] = [];
  let allOk = true;
  for (const [arch, r] of Object.entries(ref.models)) {
    const model = loadModelWeights(join(modelsDir, arch, "model"));
    const set = loadTranscoderSet(join(modelsDir, arch, "transcoders"));
    const [T, V] = r.shape;
    for (const device of ["reference", ...deviceList]) {
      const entry: Record<string, unknown> = { arch, device, tokens: T, config_keys: r.config_keys };
      let engine: AttributionEngine | null = null;
      try {
        engine =
          device === "reference"
            ? await createAttributionEngine("reference", model, set)
            : await createAttributionEngine("onnx", model, set, parseDeviceChoice(device), log);
        // The worker's forward gives the last position's logits: one run per prefix covers positions 1 … T−1.
        const ours: number[] = [],
          hf64: number[] = [],
          hf32: number[] = [];
        for (let t = 2; t <= T; t++) {
          const cache = await engine.forward(ref.tokens.slice(0, t));
          ours.push(...Array.from(cache.logits));
          hf64.push(...r.float64.slice((t - 1) * V, t * V));
          hf32.push(...r.float32.slice((t - 1) * V, t * V));
        }
        entry.vs_hf_float64 = relNorm(ours, hf64);
        entry.vs_hf_float32 = relNorm(ours, hf32);
        entry.ok = (entry.vs_hf_float64 as number) <= BOUND;
      } catch (error) {
        entry.ok = false;
        entry.error = (error as Error).message;
      } finally {
        await engine?.dispose();
      }
      allOk &&= entry.ok === true;
      log(`(b) ${arch} on ${device}: ${entry.ok ? "ok" : "FAILED"} ${JSON.stringify(entry)}`);
      results.push(entry);
    }
  }
  writeFileSync(
    out,
    JSON.stringify(
      { stage: "b", bound: BOUND, transformers: ref.transformers, torch: ref.torch, ok: allOk, results },
      null,
      2,
    ),
  );
  return allOk;
}

/** Runs the command, stamping its stderr lines; the phases are the worker's "phase N …: done in X s" lines. */
async function timedCommand(command: string[], out: string, logPath: string): Promise<boolean> {
  const started = performance.now();
  const stamp = () => ((performance.now() - started) / 1000).toFixed(2).padStart(8);
  const lines: string[] = [];
  let executionAt: number | null = null;
  writeFileSync(logPath, "");
  const code = await new Promise<number | string>((resolve) => {
    const child = spawn(command[0]!, command.slice(1), { stdio: ["ignore", "inherit", "pipe"] });
    // The check's deadline ends this process with SIGTERM: the phases so far are still written.
    process.once("SIGTERM", () => (child.kill("SIGKILL"), resolve("killed at the check's deadline")));
    let partial = "";
    child.stderr.on("data", (d: Buffer) => {
      const parts = (partial + d.toString()).split(/\r|\n/);
      partial = parts.pop()!;
      for (const p of parts.filter((l) => l.trim() !== "")) {
        if (executionAt === null && p.startsWith("execution:")) executionAt = (performance.now() - started) / 1000;
        const line = `${stamp()} ${p}`;
        lines.push(line);
        appendFileSync(logPath, `${line}\n`);
        if (!p.startsWith("attribution [")) log(line);
      }
    });
    child.on("close", (c) => resolve(c ?? 1));
  });
  const wall = (performance.now() - started) / 1000;
  const phases: Record<string, number> = {};
  for (const l of lines) {
    const m = /(phase \d [\w ]+|pruning and scores): (?:done in )?([\d.]+) s/.exec(l);
    if (m) phases[m[1]!] = Number(m[2]);
  }
  const graphSeconds = Object.values(phases).reduce((a, b) => a + b, 0);
  const result = {
    stage: "c",
    command: command.join(" "),
    exit_code: code,
    ok: code === 0,
    wall_seconds: wall,
    load_seconds: executionAt,
    phases,
    graph_seconds: graphSeconds,
    execution: lines.find((l) => l.includes("execution:"))?.trim() ?? null,
    provider_reports: lines.filter((l) => /onnxruntime\/\w+ session/.test(l)).map((l) => l.trim()),
    circuit_tracer_published_seconds: "4.5–9.6 per graph on a data-centre GPU",
  };
  writeFileSync(out, JSON.stringify(result, null, 2));
  return code === 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { named, rest: positional } = args(rest);
  if (command === "preflight") return (await preflight(need(named, "out")), 0);
  if (command === "devices") {
    const device = parseDeviceChoice(need(named, "device"));
    // cpu compares the CPU with itself: a self-test of this stage on a machine without a GPU.
    if (device === "auto") throw new Error("devices: --device must be webgpu, cuda (or cpu, a self-test)");
    return (await devices(device, positional.map(parseCase), need(named, "out"))) ? 0 : 1;
  }
  if (command === "hf") {
    const list = (named.devices ?? "cpu").split(",").filter(Boolean);
    return (await hf(need(named, "reference"), need(named, "models"), list, need(named, "out"))) ? 0 : 1;
  }
  if (command === "timed") return (await timedCommand(positional, need(named, "out"), need(named, "log"))) ? 0 : 1;
  log("usage: gpu-check preflight|devices|hf|timed … (see bench/gpu-check/gpu-check.ts)");
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`gpu-check: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
