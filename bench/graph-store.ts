// Benchmark: the whole import path a user's upload takes — parse + validate + normalise (graph-format),
// gzip on the thread pool, write the body to the BlobStore, insert the Graph row — against plain
// JSON.parse of the same bytes, measured in the same child process. Goal (issue 3): ≤ 2× JSON.parse,
// peak memory ≤ 4× the file size.
//
//   npx tsx bench/graph-store.ts [--quick]      (--quick: fixtures only, no 1M-link synthetic graph)
//
// Store: a fresh SQLite file and a local-directory BlobStore in a temporary directory (the defaults).

import { fork } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { Worker } from "node:worker_threads";
import { createDb } from "~/server/db/client";
import { applyMigrations } from "~/server/db/migrate";
import { importGraph, whenCompressed } from "~/server/services/graphs";
import { LocalBlobStore } from "~/server/storage/local-blob-store";
import { benchGraphFiles, WARM_UP_GRAPH } from "./fixtures";
import { OUT_DIR, SAMPLER_SOURCE, SYNTHETIC, writeSyntheticGraph } from "./graph-import";

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function setUpStore() {
  const dir = mkdtempSync(join(tmpdir(), "cb-bench-store-"));
  const url = `file:${join(dir, "bench.db")}`;
  await applyMigrations(url);
  const db = createDb(url);
  const user = await db.user.create({ data: { email: "bench@example.test", name: "Bench" } });
  await db.workspace.create({
    data: { slug: "bench", name: "Bench", members: { create: { userId: user.id, role: "owner" } } },
  });
  const store = new LocalBlobStore(join(dir, "blobs"));
  // "background": what an uploader waits for (the body is stored raw, compressed after the answer);
  // "inline": including the gzip, as the CLI does.
  const run = (body: Uint8Array, compression: "background" | "inline" = "background") =>
    importGraph(db, store, { actor: user, slug: "bench", body, maxBytes: 1e9, compression });
  return {
    run,
    close: async () => {
      await whenCompressed();
      await db.$disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function childTiming(path: string) {
  const bytes = readFileSync(path);
  const { run, close } = await setUpStore();
  const runs = Math.max(3, Math.min(21, Math.floor(1e8 / bytes.byteLength)));
  for (let r = 0; r < Math.min(runs, 5); r += 1) await run(bytes); // warm the JIT and the database
  const json: number[] = [];
  const ours: number[] = [];
  const withGzip: number[] = [];
  for (let r = 0; r < runs; r += 1) {
    // JSON.parse of the same bytes, including their decoding to text, as an upload arrives as bytes.
    let t = performance.now();
    JSON.parse(bytes.toString("utf8"));
    json.push(performance.now() - t);
    t = performance.now();
    await run(bytes);
    ours.push(performance.now() - t);
    await new Promise((resolve) => setTimeout(resolve, 0));
    t = performance.now();
    await run(bytes, "inline");
    withGzip.push(performance.now() - t);
  }
  await close();
  return { jsonMs: median(json), importMs: median(ours), inlineMs: median(withGzip), runs };
}

async function childMemory(path: string) {
  const bytes = readFileSync(path);
  const { run, close } = await setUpStore();
  await run(readFileSync(WARM_UP_GRAPH)); // compile first
  const sampler = new Worker(SAMPLER_SOURCE, { eval: true });
  await new Promise((resolve) => sampler.once("message", resolve));
  const before = process.memoryUsage.rss();
  await run(bytes);
  const peak = await new Promise<number>((resolve) => {
    sampler.once("message", resolve);
    sampler.postMessage("stop");
  });
  await sampler.terminate();
  await close();
  return { peakDeltaBytes: peak - before };
}

function inChild<T>(mode: string, path: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(import.meta.filename, ["--child", mode, path]);
    child.once("message", (m) => resolve(m as T));
    child.once("exit", (code) =>
      code === 0 ? undefined : reject(new Error(`child ${mode} ${path} exited with ${code}`)),
    );
  });
}

async function main(argv: string[]) {
  if (argv[0] === "--child") {
    const result = argv[1] === "timing" ? await childTiming(argv[2]!) : await childMemory(argv[2]!);
    process.send?.(result);
    return;
  }
  const files = benchGraphFiles();
  if (!argv.includes("--quick")) {
    mkdirSync(OUT_DIR, { recursive: true });
    const synthetic = join(OUT_DIR, `synthetic-${SYNTHETIC.nodes}-nodes-${SYNTHETIC.links}-links.json`);
    if (!existsSync(synthetic)) writeSyntheticGraph(synthetic);
    files.push(synthetic);
  }
  console.log(
    "file                                        bytes  JSON.parse ms  import ms  ratio  +gzip ms  ratio  peak RSS Δ MB  (peak+file)/file",
  );
  for (const path of files) {
    const size = statSync(path).size;
    const t = await inChild<{ jsonMs: number; importMs: number; inlineMs: number; runs: number }>("timing", path);
    const m = await inChild<{ peakDeltaBytes: number }>("memory", path);
    console.log(
      `${basename(path).slice(0, 38).padEnd(38)} ${String(size).padStart(10)} ${t.jsonMs.toFixed(1).padStart(14)} ${t.importMs.toFixed(1).padStart(10)} ${(t.importMs / t.jsonMs).toFixed(2).padStart(6)} ${t.inlineMs.toFixed(1).padStart(9)} ${(t.inlineMs / t.jsonMs).toFixed(2).padStart(6)} ${(m.peakDeltaBytes / 2 ** 20).toFixed(1).padStart(14)} ${((m.peakDeltaBytes + size) / size).toFixed(2).padStart(17)}`,
    );
  }
  console.log(
    "\nimport = parseGraph + BlobStore put (raw) + Graph row insert: what the uploader waits for; the body is",
  );
  console.log(
    "  gzipped (level 1) right after, in the background. +gzip = the same with the compression awaited (the CLI).",
  );
  console.log(
    "Medians over alternated runs in one warmed child per file; memory in a fresh child (the file's bytes are read before).",
  );
}

await main(process.argv.slice(2));
