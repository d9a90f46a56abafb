/**
 * `npm run bench [-- name …]`: every benchmark in turn, each printing its own figures.
 *   graph-import   parseGraph vs JSON.parse (time, memory) on the fixtures and a 1M-link synthetic graph
 *   graph-store    the whole import path (parse + gzip + BlobStore + row) vs JSON.parse
 *   viewer-load    Chromium: navigation → first interactive frame, click → highlight
 *   attribution    the GPU worker: time per graph by phase, adjoint GFLOP/s vs best MatMul
 *   job-queue      a real worker over HTTP: preview round trip (idle / beside a long job), queue overhead per
 *                  16-token job as a ratio to its attribution (SQLite and PostgreSQL)
 *   viewer-comments  Chromium: first frame of the largest fixture with 500 comment threads vs none
 *   live-latency   live delivery p50/p99 between two instances on one PostgreSQL database
 *   load           loopback load on the read paths (≤ 50 connections, 20 s), both databases, with and
 *                  without a 150 MB export alongside: req/s, p50, p99, errors (needs a build: npm run build)
 *   labels         occurrence-index writes as a share of import (1M-link graph), the label queue's next item
 * Benchmarks are never part of `npm test`; numbers depend on the machine and its load.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const ALL = [
  "graph-import",
  "graph-store",
  "viewer-load",
  "attribution",
  "viewer-comments",
  "live-latency",
  "load",
  "job-queue",
  "labels",
];
const wanted = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const flags = process.argv.slice(2).filter((a) => a.startsWith("-"));
let failed = 0;
for (const name of wanted.length ? wanted : ALL) {
  const file = `bench/${name}.ts`;
  if (!existsSync(file)) {
    console.log(`\n━━ ${name}: no such benchmark (${file})`);
    failed += 1;
    continue;
  }
  console.log(`\n━━ ${name} ━━ npx tsx ${file} ${flags.join(" ")}`);
  const r = spawnSync("npx", ["tsx", file, ...flags], { stdio: "inherit" });
  if (r.status !== 0) failed += 1;
}
process.exit(failed ? 1 : 0);
