// Benchmark: graph import (parse + validate + normalise) against plain JSON.parse of the same text.
//
//   npx tsx bench/graph-import.ts [--quick]
//
// Files: the real fixtures, plus a synthetic 8,000-node / 1,000,000-link graph written once to
// bench/out/graph-import/. Each file is measured in fresh child processes so one run's heap never pollutes
// another's: one child for timing (JSON.parse and parseGraph alternated, median of several runs),
// and one child per parser for memory (peak RSS above the level just before parsing, sampled from a worker
// thread every millisecond while the main thread parses). Goal (issue): parse time <= 2x JSON.parse, peak
// memory <= 4x the file size. --quick skips the synthetic graph.

import { fork } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { Worker } from "node:worker_threads";
import { cantorPair, decodeGraphText, exportGraph, parseGraph } from "@circuitboard/shared/graph-format";
import { seededRandom } from "~/gpu-worker/src/util/seeded-random";
import { benchGraphFiles, WARM_UP_GRAPH } from "./fixtures";

export const OUT_DIR = join(import.meta.dirname, "out", "graph-import");
export const SYNTHETIC = { nodes: 8_000, links: 1_000_000, tokens: 12, layers: 26 };

type TTimingResult = {
  jsonParseMs: number;
  parseGraphMs: number;
  decodeMs: number;
  stringifyMs: number;
  exportMs: number;
  runs: number;
};
type TMemoryResult = {
  /** Peak RSS while parsing, above the RSS just before (text already read). */
  peakDeltaBytes: number;
  /** Heap + ArrayBuffer bytes the result keeps alive (after gc). */
  retainedBytes: number;
};

// ---------------------------------------------------------------------------------------------------------
// Synthetic graph, shaped like circuit-tracer output (string layers, Cantor features, legacy error ids).

export function writeSyntheticGraph(path: string): void {
  const random = seededRandom(42); // deterministic: every run benchmarks the same bytes
  const { nodes: nodeCount, links: linkCount, tokens, layers } = SYNTHETIC;
  const nodes: Record<string, unknown>[] = [];
  // Every field circuit-tracer writes, in its order (attribution-algorithm.md §4.3).
  const node = (
    ids: { node_id: string; jsNodeId: string },
    feature: number,
    layer: string,
    ctxIdx: number,
    featureType: string,
    values: { clerp?: string; influence: number | null; activation: number | null; isTarget?: boolean },
  ): Record<string, unknown> => ({
    node_id: ids.node_id,
    feature,
    layer,
    ctx_idx: ctxIdx,
    feature_type: featureType,
    token_prob: 0,
    is_target_logit: values.isTarget ?? false,
    run_idx: 0,
    reverse_ctx_idx: 0,
    jsNodeId: ids.jsNodeId,
    clerp: values.clerp ?? "",
    influence: values.influence,
    activation: values.activation,
  });
  for (let p = 0; p < tokens; p += 1) {
    const embedding = { node_id: `E_${1000 + p}_${p}`, jsNodeId: `E_${1000 + p}-${p}` };
    nodes.push(node(embedding, p, "E", p, "embedding", { influence: random(), activation: null }));
    for (let l = 0; l < layers; l += 1) {
      const error = { node_id: `0_${l}_${p}`, jsNodeId: `${l}_${p}-0` }; // legacy error ids
      nodes.push(node(error, -1, String(l), p, "mlp reconstruction error", { influence: random(), activation: null }));
    }
  }
  const last = tokens - 1;
  for (let v = 0; v < 10; v += 1) {
    const logit = { node_id: `${layers + 1}_${2000 + v}_${last}`, jsNodeId: `L_${2000 + v}-${last}` };
    const values = { clerp: `Output "t${v}" (p=0.1)`, influence: null, activation: null, isTarget: v === 0 };
    nodes.push(node(logit, 2000 + v, String(layers + 1), last, "logit", values));
  }
  while (nodes.length < nodeCount) {
    const l = Math.floor(random() * layers);
    const i = Math.floor(random() * 500_000);
    const p = Math.floor(random() * tokens);
    const values = { influence: Math.fround(random()), activation: Math.fround(random() * 10) };
    const feature = { node_id: `${l}_${i}_${p}`, jsNodeId: `${l}_${i}-0` };
    nodes.push(node(feature, cantorPair(l, i), String(l), p, "cross layer transcoder", values));
  }
  const ids = nodes.map(({ node_id }) => JSON.stringify(node_id));
  const pick = (): string => ids[Math.floor(random() * ids.length)]!;
  const lines = new Array<string>(linkCount);
  for (let k = 0; k < linkCount; k += 1) {
    const weight = Math.fround((random() - 0.5) * 4); // float32 values printed as doubles, like circuit-tracer
    lines[k] = `{"source":${pick()},"target":${pick()},"weight":${weight}}`;
  }
  const metadata = {
    slug: "synthetic",
    scan: "gemma-2-2b",
    transcoder_list: [],
    prompt_tokens: Array.from({ length: tokens }, (_, p) => `t${p}`),
    prompt: "",
    node_threshold: 0.8,
    schema_version: 1,
  };
  const qParams = { pinnedIds: [], supernodes: [], linkType: "both", clickedId: "", sg_pos: "" };
  const head = `{"metadata":${JSON.stringify(metadata)},"qParams":${JSON.stringify(qParams)}`;
  writeFileSync(path, `${head},"nodes":${JSON.stringify(nodes)},"links":[${lines.join(",")}]}`);
}

// ---------------------------------------------------------------------------------------------------------
// Children.

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

// No forced gc between runs: a full gc() makes V8 drop warm state (zod's schemas measurably run 10x slower on
// the next call), which real servers never do before each upload. Alternating the two parsers shares the
// cost of collecting each other's garbage about evenly (both leave one JSON tree behind).
function timeOnce(run: () => unknown): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

function childTiming(path: string): TTimingResult {
  const bytes = readFileSync(path);
  const text = bytes.toString("utf8");
  const sizeBytes = bytes.byteLength;
  // Enough runs for a stable median, bounded so the big file stays at a handful.
  const runs = Math.max(5, Math.min(41, Math.floor(2e8 / sizeBytes)));
  // Warm the JIT until parseGraph's code is optimised, as it is in a server that has seen a few uploads
  // (JSON.parse is native and needs none).
  for (let r = 0, start = performance.now(); r < 200 && performance.now() - start < 2000; r += 1) parseGraph(text);
  const jsonParse: number[] = [];
  const ours: number[] = [];
  for (let r = 0; r < runs; r += 1) {
    jsonParse.push(timeOnce(() => JSON.parse(text)));
    ours.push(timeOnce(() => parseGraph(text)));
  }
  const graph = parseGraph(text);
  const parsed: unknown = JSON.parse(text);
  const few = Math.min(runs, 5);
  return {
    jsonParseMs: median(jsonParse),
    parseGraphMs: median(ours),
    decodeMs: median(Array.from({ length: few }, () => timeOnce(() => decodeGraphText(bytes)))),
    stringifyMs: median(Array.from({ length: few }, () => timeOnce(() => JSON.stringify(parsed)))),
    exportMs: median(Array.from({ length: few }, () => timeOnce(() => exportGraph(graph)))),
    runs,
  };
}

export const SAMPLER_SOURCE = `
const { parentPort } = require("node:worker_threads");
let peak = 0;
const timer = setInterval(() => { const rss = process.memoryUsage.rss(); if (rss > peak) peak = rss; }, 1);
parentPort.on("message", () => {
  clearInterval(timer);
  parentPort.postMessage(Math.max(peak, process.memoryUsage.rss()));
});
parentPort.postMessage("ready");
`;

async function childMemory(path: string, parser: "json" | "ours"): Promise<TMemoryResult> {
  const parse = parser === "json" ? (text: string) => JSON.parse(text) as unknown : (text: string) => parseGraph(text);
  // Compile the parser's code on a small file first, so JIT memory is not charged to the measured parse.
  parse(readFileSync(WARM_UP_GRAPH, "utf8"));
  const text = readFileSync(path, "utf8");
  const sampler = new Worker(SAMPLER_SOURCE, { eval: true });
  await new Promise((resolve) => sampler.once("message", resolve));
  gc();
  gc();
  const before = process.memoryUsage();
  const result = parse(text);
  const peak = await new Promise<number>((resolve) => {
    sampler.once("message", resolve);
    sampler.postMessage("stop");
  });
  await sampler.terminate();
  gc();
  gc();
  const after = process.memoryUsage();
  if (result === undefined) throw new Error("unreachable: keeps the result alive until it is measured");
  return {
    peakDeltaBytes: peak - before.rss,
    retainedBytes: after.heapUsed - before.heapUsed + (after.arrayBuffers - before.arrayBuffers),
  };
}

function inChild<T>(mode: string, path: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(import.meta.filename, ["--child", mode, path], {
      execArgv: [...process.execArgv, "--expose-gc"],
    });
    child.once("message", (message) => resolve(message as T));
    child.once("exit", (code) =>
      code === 0 ? undefined : reject(new Error(`child ${mode} ${path} exited with ${code}`)),
    );
  });
}

// ---------------------------------------------------------------------------------------------------------
// Parent.

async function main(argv: string[]): Promise<void> {
  if (argv[0] === "--child") {
    const [, mode, path] = argv as [string, string, string];
    const parser = mode === "memory-json" ? "json" : "ours";
    const result = mode === "timing" ? childTiming(path) : await childMemory(path, parser);
    process.send?.(result);
    return;
  }
  const files = benchGraphFiles();
  if (!argv.includes("--quick")) {
    mkdirSync(OUT_DIR, { recursive: true });
    const synthetic = join(OUT_DIR, `synthetic-${SYNTHETIC.nodes}-nodes-${SYNTHETIC.links}-links.json`);
    if (!existsSync(synthetic)) {
      process.stdout.write(`writing ${synthetic} ...\n`);
      writeSyntheticGraph(synthetic);
    }
    files.push(synthetic);
  }

  const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);
  const header = ["file", "bytes", "JSON.parse ms", "parseGraph ms", "ratio"];
  header.push("RSS peak: JSON.parse MB", "parseGraph MB", "(peak+text)/file");
  header.push("live: tree MB", "TGraph MB", "(tree+TGraph+text)/file");
  header.push("bytes->text ms", "JSON.stringify ms", "exportGraph ms");
  const rows: string[][] = [header];
  for (const path of files) {
    const sizeBytes = statSync(path).size;
    const timing = await inChild<TTimingResult>("timing", path);
    const memoryJson = await inChild<TMemoryResult>("memory-json", path);
    const memoryOurs = await inChild<TMemoryResult>("memory-ours", path);
    rows.push([
      basename(path).slice(0, 40),
      String(sizeBytes),
      timing.jsonParseMs.toFixed(2),
      timing.parseGraphMs.toFixed(2),
      (timing.parseGraphMs / timing.jsonParseMs).toFixed(2),
      mb(memoryJson.peakDeltaBytes),
      mb(memoryOurs.peakDeltaBytes),
      ((memoryOurs.peakDeltaBytes + sizeBytes) / sizeBytes).toFixed(2),
      mb(memoryJson.retainedBytes),
      mb(memoryOurs.retainedBytes),
      ((memoryJson.retainedBytes + memoryOurs.retainedBytes + sizeBytes) / sizeBytes).toFixed(2),
      timing.decodeMs.toFixed(2),
      timing.stringifyMs.toFixed(2),
      timing.exportMs.toFixed(2),
    ]);
    process.stdout.write(`measured ${basename(path)} (${timing.runs} timing runs)\n`);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  for (const row of rows) {
    const cells = row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)));
    process.stdout.write(`${cells.join("  ")}\n`);
  }
  process.stdout.write(
    "\nms: median of alternated runs in one warmed-up child.\n" +
      "RSS peak: peak RSS above the RSS just before the parse (text already read), fresh child per parser;\n" +
      "  (peak+text)/file adds the input text. Small files parse inside memory V8 already holds, so read the\n" +
      "  live columns for them.\n" +
      "live: heap + ArrayBuffer bytes kept alive by JSON.parse's tree and by the TGraph. parseGraph holds both at\n" +
      "  once just before it returns, so (tree+TGraph+text)/file bounds its peak live memory.\n",
  );
}

// Run only as a script: bench/graph-store.ts imports the synthetic-graph writer from here.
if (import.meta.filename === process.argv[1] || process.argv[1]?.endsWith("graph-import.ts"))
  await main(process.argv.slice(2));
