// Benchmark: live delivery latency between two app instances on one PostgreSQL database.
//
//   npx tsx bench/live-latency.ts [--comments N]
//
// Creates a fresh PostgreSQL database (TEST_POSTGRES_URL's server, default the local one), starts two API
// instances on it (test/integration/helpers/live-server.ts: plain Node HTTP, the real tRPC router and
// /api/live), opens a live stream on instance 2 and posts N comments (default 200) through instance 1, one
// after another. For each it reports:
//   - request -> delivered: from just before the tRPC mutation is sent to instance 1 until the event arrives
//     on the stream held by instance 2 (authorisation, insert, NOTIFY, the other instance's read, SSE);
//   - commit -> delivered: from the event row's createdAt (the database clock, same machine) to arrival.
// Baseline measured in the same run: the bare mutation round trip on instance 1 (a query on the same path),
// so the ratio shows what the live path adds. Reported, not asserted.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpus } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { createTRPCClient, httpLink } from "@trpc/client";
import pg from "pg";
import superjson from "superjson";
import { createDb } from "../server/db/client";
import { applyMigrations } from "../server/db/migrate";
import { createApiKey } from "../server/services/api-keys";
import { ensurePersonalWorkspace } from "../server/services/workspaces";
import type { AppRouter } from "../server/trpc/root";
import { CARRIED, readCarried } from "../test/fixtures";
import { openSse } from "../test/integration/helpers/sse";

const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const countArg = process.argv.indexOf("--comments");
const COMMENTS = countArg > 0 ? Number(process.argv[countArg + 1]) : 200;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const fmt = (v: number) => `${v.toFixed(1)} ms`;

async function startInstance(databaseUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", "tsx", join("test", "integration", "helpers", "live-server.ts")], {
    env: { ...process.env, DATABASE_URL: databaseUrl, LIVE_SERVER_PORT: "0", COMMENT_MAX_PER_WINDOW: "100000" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      if (line.startsWith("{")) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once("exit", (code) => reject(new Error(`live-server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

const name = `cb_bench_live_${randomBytes(4).toString("hex")}`;
const admin = new pg.Client({ connectionString: ADMIN_URL });
await admin.connect();
await admin.query(`CREATE DATABASE "${name}"`);
const url = new URL(ADMIN_URL);
url.pathname = `/${name}`;
const databaseUrl = url.toString();
const instances: { url: string; child: ChildProcess }[] = [];
try {
  await applyMigrations(databaseUrl);
  const db = createDb(databaseUrl);
  const users = await Promise.all(
    ["alice", "bob"].map(async (n) => {
      const user = await db.user.create({
        data: { email: `${n}-${name}@example.test`, name: n },
        select: { id: true, email: true, name: true },
      });
      await ensurePersonalWorkspace(db, user);
      return user;
    }),
  );
  const [alice, bob] = users as [(typeof users)[0], (typeof users)[0]];
  const ws = await db.workspace.create({ data: { slug: name.replace(/_/g, "-"), name: "bench" } });
  await db.membership.createMany({
    data: [
      { workspaceId: ws.id, userId: alice.id, role: "editor" },
      { workspaceId: ws.id, userId: bob.id, role: "viewer" },
    ],
  });
  const { importGraph } = await import("../server/services/graphs");
  const { LocalBlobStore } = await import("../server/storage/local-blob-store");
  const { mkdtempSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const graph = await importGraph(db, new LocalBlobStore(mkdtempSync(join(tmpdir(), "cb-bench-live-"))), {
    actor: alice,
    slug: ws.slug,
    body: readCarried(CARRIED.demoGenesis),
    maxBytes: 1e8,
    compression: "inline",
  });
  const aliceKey = (await createApiKey(db, { actor: alice, name: "bench" })).key;
  const bobKey = (await createApiKey(db, { actor: bob, name: "bench" })).key;
  await db.$disconnect();

  instances.push(...(await Promise.all([startInstance(databaseUrl), startInstance(databaseUrl)])));
  const [one, two] = instances as [(typeof instances)[0], (typeof instances)[0]];
  const api = createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${one.url}/api/trpc`,
        transformer: superjson,
        headers: { authorization: `Bearer ${aliceKey}` },
      }),
    ],
  });
  const stream = await openSse(`${two.url}/api/live?topics=graph:${graph.id}`, { authorization: `Bearer ${bobKey}` });
  await stream.waitFor((e) => e.type === "live.ready");
  const thread = await api.comment.create.mutate({ graphId: graph.id, anchor: { kind: "graph" }, body: "bench" });
  await stream.waitFor((e) => e.type === "comment.created");

  // Baseline: the same instance, the same authorisation, a read instead of a write + delivery.
  const baseline: number[] = [];
  for (let i = 0; i < COMMENTS; i++) {
    const t0 = performance.now();
    await api.comment.summary.query({ graphId: graph.id });
    baseline.push(performance.now() - t0);
  }
  const requestToDelivered: number[] = [];
  const commitToDelivered: number[] = [];
  const mutation: number[] = [];
  for (let i = 0; i < COMMENTS; i++) {
    const seen = stream.events.length;
    const t0 = performance.now();
    const wall0 = Date.now();
    const replying = api.comment.reply.mutate({ threadId: thread.id, body: `comment ${i}` });
    const event = await stream.waitFor((e) => e.type === "comment.created" && stream.events.indexOf(e) >= seen);
    const arrived = performance.now();
    requestToDelivered.push(arrived - t0);
    commitToDelivered.push(wall0 + (arrived - t0) - Date.parse(event.createdAt));
    await replying;
    mutation.push(performance.now() - t0);
  }
  stream.close();
  console.log(
    `\nLive delivery, 2 instances on one PostgreSQL, ${COMMENTS} comments one after another, ${cpus().length} CPU cores\n`,
  );
  const row = (label: string, v: number[]) =>
    console.log(
      `  ${label.padEnd(46)} p50 ${fmt(percentile(v, 50)).padStart(9)}   p99 ${fmt(percentile(v, 99)).padStart(9)}   max ${fmt(Math.max(...v)).padStart(9)}`,
    );
  row("baseline: comment.summary round trip, instance 1", baseline);
  row("comment.reply round trip, instance 1", mutation);
  row("request on 1 -> event on a stream of 2", requestToDelivered);
  row("row committed -> event on a stream of 2", commitToDelivered);
  console.log(
    `  ratio p50 (request -> delivered) / baseline: ${(percentile(requestToDelivered, 50) / percentile(baseline, 50)).toFixed(2)}x`,
  );
} finally {
  for (const i of instances) i.child.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 500));
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
}
