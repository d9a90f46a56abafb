// Benchmark: feature labels.
//
//   npx tsx bench/labels.ts
//
// 1. Occurrence-index writes as a share of import time, on the synthetic 8,000-node / 1,000,000-link graph of
//    bench/graph-import.ts (goal: < 20%). Import = importGraph end to end on a fresh SQLite database (parse on
//    the graph pool, store, row, occurrences, file labels); the index's share is writeOccurrences alone, timed on
//    the same features. Median of 3.
// 2. The label queue's next item (label.queue's service) on a workspace holding 5 such graphs (goal: < 100 ms),
//    median and p95 of 20.
// 3. The feature page's server work (its graphs query, featureGraphs) with 10^5 occurrences in the database
//    (8 more graph rows indexed with the same features), for the feature found in most graphs: p95 of 20
//    (goal: < 200 ms).
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb } from "~/server/db/client";
import { applyMigrations } from "~/server/db/migrate";
import { runInGraphPool } from "~/server/graph-work/graph-pool";
import { importGraph, whenCompressed } from "~/server/services/graphs";
import { featureGraphs, nextQueueItem } from "~/server/services/labels/features";
import { writeOccurrences } from "~/server/services/labels/occurrences";
import { LocalBlobStore } from "~/server/storage/local-blob-store";
import { seedUser, seedWorkspace } from "~/test/integration/helpers/seed";
import { OUT_DIR, writeSyntheticGraph } from "./graph-import";

const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const median = (xs: number[]) => quantile(xs, 0.5);

mkdirSync(OUT_DIR, { recursive: true });
const path = join(OUT_DIR, "synthetic-1m.json");
if (!existsSync(path)) writeSyntheticGraph(path);
const body = new Uint8Array(readFileSync(path));

const dir = mkdtempSync(join(tmpdir(), "cb-bench-labels-"));
const url = `file:${join(dir, "labels.db")}`;
await applyMigrations(url);
const db = createDb(url);
const store = new LocalBlobStore(join(dir, "blobs"));
const owner = await seedUser(db);
const ws = await seedWorkspace(db, { owner: { user: owner, role: "owner" } });
const announced = { modelId: "bench-model", transcoderSetId: "bench/set" };

const importMs: number[] = [];
const occurrenceMs: number[] = [];
let graphId = "";
for (let run = 0; run < 3; run++) {
  const t0 = performance.now();
  const graph = await importGraph(db, store, { actor: owner, slug: ws.slug, body, maxBytes: 1e9, announced });
  importMs.push(performance.now() - t0);
  graphId = graph.id;
}
await whenCompressed();
const parsed = await runInGraphPool({ kind: "describe", body, announced });
if (!parsed.ok || parsed.kind !== "describe") throw new Error("the synthetic graph does not parse");
const features = parsed.description.features;
for (let run = 0; run < 3; run++) {
  const t0 = performance.now();
  await writeOccurrences(db, { graphId, ...announced, features });
  occurrenceMs.push(performance.now() - t0);
}
for (let run = 0; run < 2; run++) {
  await importGraph(db, store, { actor: owner, slug: ws.slug, body, maxBytes: 1e9, announced });
}
await whenCompressed();

const queueMs: number[] = [];
for (let run = 0; run < 20; run++) {
  const t0 = performance.now();
  const item = await nextQueueItem(db, { actor: owner, slug: ws.slug, skip: [] });
  queueMs.push(performance.now() - t0);
  if (!item) throw new Error("the queue is empty");
}

// 3. Up to ~10^5 occurrences: more rows carrying the same features (rows only; their bodies are not needed).
for (let copy = 0; copy < 8; copy++) {
  const row = await db.graph.findUniqueOrThrow({ where: { id: graphId } });
  const id = `bench-copy-${copy}-${Date.now()}`;
  await db.graph.create({
    data: { ...row, id, blobKey: `graphs/${id}.json`, createdAt: new Date(), updatedAt: new Date() },
  });
  await writeOccurrences(db, { graphId: id, ...announced, features });
}
const [top] = await db.featureOccurrence.groupBy({
  by: ["layer", "index"],
  _count: { _all: true },
  orderBy: { _count: { layer: "desc" } },
  take: 1,
});
const feature = { ...announced, layer: top!.layer, index: top!.index };
const pageMs: number[] = [];
let graphsShown = 0;
for (let run = 0; run < 20; run++) {
  const t0 = performance.now();
  graphsShown = (await featureGraphs(db, { actor: owner, feature })).length;
  pageMs.push(performance.now() - t0);
}

const share = median(occurrenceMs) / median(importMs);
console.log(
  JSON.stringify(
    {
      featureNodes: features.layer.length,
      importMedianMs: Math.round(median(importMs)),
      occurrenceWritesMedianMs: Math.round(median(occurrenceMs)),
      occurrenceShare: `${(share * 100).toFixed(1)}% (goal < 20%)`,
      queueNextMedianMs: Number(median(queueMs).toFixed(1)),
      queueNextP95Ms: Number(quantile(queueMs, 0.95).toFixed(1)),
      occurrencesInDatabase: await db.featureOccurrence.count(),
      featurePageGraphsShown: graphsShown,
      featurePageMedianMs: Number(median(pageMs).toFixed(1)),
      featurePageP95Ms: Number(quantile(pageMs, 0.95).toFixed(1)),
    },
    null,
    2,
  ),
);
process.exit(0);
