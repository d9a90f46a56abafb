// Benchmark: what the job queue costs around the work itself, and the prompt box's preview round trip,
// with a real worker process (`worker serve`, demo model, CPU) over HTTP against the real worker API and a
// real database (SQLite file and PostgreSQL), in the same run:
//
//   preview round trip   previewNextTokens (enqueue → the worker's preview lane → result → delete) timed
//                        around the service call, idle and while the worker's main lane runs a long graph
//                        (goal p50 < 300 ms on the demo model)
//   queue overhead       per 16-token demo attribution job: enqueue → claimed (queue wait with an idle
//                        worker), claimed → first progress post (the worker starting), upload → visible
//                        (the complete request: body transfer, validation, BlobStore, row); as a ratio to
//                        the job's own work (first progress → upload) measured in the same run (goal < 5 %)
//
//   npx tsx bench/job-queue.ts [--jobs 8] [--previews 30] [--providers sqlite,postgresql]
import { mkdtempSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { createDb, type Db } from "~/server/db/client";
import { applyMigrations } from "~/server/db/migrate";
import { enqueueAttributionJob, cancelJob } from "~/server/jobs/jobs";
import { previewNextTokens } from "~/server/jobs/prompt-preview";
import { LocalBlobStore } from "~/server/storage/local-blob-store";
import { startWorkerApiServer, type RequestTiming } from "~/test/integration/helpers/worker-api-server";
import { eventually, startWorkerProcess } from "~/test/integration/helpers/worker-process";
import { seedUser, seedWorkspace } from "~/test/integration/helpers/seed";

process.env.WORKER_TOKEN ??= "bench-bootstrap-token-0123456789abcdef";
process.env.JOB_MAX_ACTIVE_PER_USER = "1000";
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const N_JOBS = Number(arg("jobs", "8"));
const N_PREVIEWS = Number(arg("previews", "30"));
const PROVIDERS = arg("providers", "sqlite,postgresql").split(",");
const PG_ADMIN = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
// 15 tokens + BOS on the demo model's tokenizer.
const PROMPT_16 = "And God saw the light, that it was good: and God divided the light";

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const median = (xs: number[]) => quantile(xs, 0.5);
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function database(provider: string): Promise<{ url: string; drop: () => Promise<void> }> {
  if (provider === "sqlite")
    return { url: `file:${join(mkdtempSync(join(tmpdir(), "cb-bench-")), "q.db")}`, drop: async () => {} };
  const name = `cb_bench_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(PG_ADMIN);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

async function runProvider(provider: string) {
  const target = await database(provider);
  await applyMigrations(target.url);
  const db: Db = createDb(target.url);
  const store = new LocalBlobStore(mkdtempSync(join(tmpdir(), "cb-bench-blobs-")));
  const timings: RequestTiming[] = [];
  const server = await startWorkerApiServer(db, store, (t) => timings.push(t));
  const modelId = `bench-demo-${provider}`;
  const worker = startWorkerProcess({
    id: `bench-${provider}`,
    url: server.url,
    token: process.env.WORKER_TOKEN!,
    modelId,
  });
  try {
    await eventually(async () => /tokenizer \w+: (sent|the app)/.test(worker.log()), 120_000, "worker ready");
    const owner = await seedUser(db);
    const ws = await seedWorkspace(db, { owner: { user: owner, role: "owner" } });
    const preview = async () => {
      const t0 = performance.now();
      const r = await previewNextTokens(db, {
        actor: owner,
        slug: ws.slug,
        modelId,
        prompt: "And God said, Let there be",
        topK: 10,
      });
      if (r.status !== "ok") throw new Error(`preview: ${JSON.stringify(r)}`);
      return performance.now() - t0;
    };
    const runJob = async () => {
      const t0 = performance.now();
      const { id } = await enqueueAttributionJob(db, {
        actor: owner,
        slug: ws.slug,
        modelId,
        prompt: PROMPT_16,
        params: {
          maxNLogits: 10,
          desiredLogitProb: 0.95,
          maxFeatureNodes: 7500,
          batchSize: 256,
          nodeThreshold: 0.8,
          edgeThreshold: 0.98,
        },
      });
      await eventually(
        async () => (await db.job.findUnique({ where: { id } }))?.status === "done",
        120_000,
        "job done",
      );
      return { id, enqueuedMs: t0 };
    };
    for (let i = 0; i < 3; i++) await preview(); // warm up both lanes and the sessions
    await runJob();

    const idle: number[] = [];
    for (let i = 0; i < N_PREVIEWS; i++) idle.push(await preview());
    const long = await enqueueAttributionJob(db, {
      actor: owner,
      slug: ws.slug,
      modelId,
      prompt:
        "And God said, Let there be light: and there was light. And God saw the light, that it was good: and God divided the light from the darkness. And God called the light Day, and the darkness he called Night.",
      params: {
        maxNLogits: 10,
        desiredLogitProb: 0.95,
        maxFeatureNodes: 100_000,
        batchSize: 2,
        nodeThreshold: 0.8,
        edgeThreshold: 0.98,
      },
    });
    await eventually(
      async () => (await db.job.findUnique({ where: { id: long.id } }))!.progressDone > 0,
      60_000,
      "long job",
    );
    const busy: number[] = [];
    for (let i = 0; i < N_PREVIEWS; i++) busy.push(await preview());
    const stillRunning = (await db.job.findUnique({ where: { id: long.id } }))!.status === "running";
    if (stillRunning) {
      await cancelJob(db, { actor: owner, jobId: long.id });
      await eventually(async () => worker.log().includes(`job ${long.id}: stopped`), 30_000, "long job stopped");
    }

    const rows: { wait: number; start: number; work: number; visible: number }[] = [];
    for (let i = 0; i < N_JOBS; i++) {
      const { id, enqueuedMs } = await runJob();
      const mine = timings.filter((t) => t.jobId === id);
      const claimed = mine.find((t) => t.route === "claim")!;
      const first = mine.find((t) => t.route === "progress")!;
      const complete = mine.find((t) => t.route === "complete")!;
      rows.push({
        wait: claimed.endMs - enqueuedMs,
        start: first.startMs - claimed.endMs,
        work: complete.startMs - first.startMs,
        visible: complete.endMs - complete.startMs,
      });
    }
    const work = median(rows.map((r) => r.work));
    const overhead = rows.map((r) => r.wait + r.start + r.visible);
    console.log(`\n${provider}`);
    console.log(
      `  preview round trip, idle worker:        p50 ${ms(median(idle))}  p90 ${ms(quantile(idle, 0.9))}  (n=${idle.length})`,
    );
    console.log(
      `  preview round trip, long job running:   p50 ${ms(median(busy))}  p90 ${ms(quantile(busy, 0.9))}  (n=${busy.length}; long job still running: ${stillRunning})`,
    );
    console.log(`  16-token attribution job (n=${rows.length}), medians:`);
    console.log(`    enqueue → claimed        ${ms(median(rows.map((r) => r.wait)))}`);
    console.log(`    claimed → first progress ${ms(median(rows.map((r) => r.start)))}`);
    console.log(`    work (baseline)          ${ms(work)}`);
    console.log(`    upload → visible         ${ms(median(rows.map((r) => r.visible)))}`);
    console.log(
      `    queue overhead           ${ms(median(overhead))} = ${((100 * median(overhead)) / work).toFixed(2)} % of the attribution (goal < 5 %)`,
    );
  } finally {
    worker.child.kill("SIGTERM");
    await worker.exited;
    await server.close();
    await db.$disconnect();
    await target.drop();
  }
}

console.log(
  `load average before: ${loadavg()
    .map((x) => x.toFixed(1))
    .join(" ")} on ${cpus().length} cores`,
);
for (const p of PROVIDERS) await runProvider(p);
console.log(
  `load average after: ${loadavg()
    .map((x) => x.toFixed(1))
    .join(" ")}`,
);
