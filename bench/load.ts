// Benchmark: the read paths under a bounded loopback load, on each database, without and then with an
// anonymous export of a 150 MB graph running alongside (one export after another, for the whole phase).
// The app is the real `npm start` path (front server + Next, built), started on a fresh database.
//
//   npx tsx bench/load.ts [--seconds 20] [--connections 50] [--db sqlite,postgresql]
//
// Reads, round-robin: /api/health, /explore (server-rendered), graph.explore and graph.get (tRPC), the
// small public graph's body (/api/graphs/:id/data, gzip) and its viewer page. Loopback only, at most 50
// connections, 20 s per phase. Prints req/s, p50, p99 and errors (non-2xx or failed) per phase.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Agent, request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { CARRIED, carriedPath } from "../test/fixtures";
import { writeLargeSyntheticGraph } from "./large-synthetic-graph";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1]!;
};
const SECONDS = Math.min(20, Number(arg("seconds", "20")));
const CONNECTIONS = Math.min(50, Number(arg("connections", "50")));
const DATABASES = arg("db", "sqlite,postgresql").split(",");
const PORT = Number(process.env.BENCH_PORT ?? 3432);
const PG_ADMIN = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

interface Answer {
  status: number;
  body: Buffer;
}

const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS + 2 });
function call(path: string, o: { method?: string; headers?: Record<string, string>; body?: Buffer } = {}) {
  return new Promise<Answer>((resolve, reject) => {
    const req = httpRequest(
      { host: "127.0.0.1", port: PORT, path, method: o.method ?? "GET", headers: o.headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(o.body);
  });
}

async function startApp(databaseUrl: string, dataDir: string): Promise<ChildProcess> {
  const app = spawn("npx", ["tsx", "scripts/start.ts"], {
    env: {
      ...process.env,
      PORT: String(PORT),
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      NEXTAUTH_URL: `http://localhost:${PORT}`,
      START_WORKER: "0",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true, // its own process group, so the whole tree stops with it
  });
  for (let i = 0; i < 600; i += 1) {
    const ok = await call("/api/health").then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return app;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("the app did not answer /api/health within 5 minutes");
}

function stopApp(app: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    app.on("exit", () => resolve());
    process.kill(-app.pid!, "SIGTERM");
  });
}

async function setUpData(databaseUrl: string, largeFile: string) {
  // The bench's own user and key, written through the services (as the CLI does).
  process.env.DATABASE_URL = databaseUrl;
  const { createDb } = await import("../server/db/client");
  const { createUser } = await import("../server/services/auth/users");
  const { hashPassword } = await import("../server/services/auth/password");
  const { createApiKey } = await import("../server/services/api-keys");
  const { createWorkspace } = await import("../server/services/workspaces");
  const db = createDb(databaseUrl);
  const user = await createUser(db, {
    email: `bench-${randomBytes(3).toString("hex")}@example.test`,
    name: "Bench",
    passwordHash: await hashPassword("a long bench password"),
  });
  const ws = await createWorkspace(db, { actor: user, name: "Bench" });
  const { key } = await createApiKey(db, { actor: user, name: "bench" });
  await db.$disconnect();
  const auth = { authorization: `Bearer ${key}`, "content-type": "application/json" };
  const upload = async (body: Buffer, title: string) => {
    const r = await call(`/api/workspaces/${ws.slug}/graphs?visibility=public&title=${title}`, {
      method: "POST",
      headers: auth,
      body,
    });
    if (r.status !== 201) throw new Error(`upload ${title}: ${r.status} ${r.body.toString().slice(0, 200)}`);
    return (JSON.parse(r.body.toString()) as { id: string }).id;
  };
  const small = await upload(readFileSync(carriedPath(CARRIED.demoLong)), "small");
  const t0 = Date.now();
  const large = await upload(readFileSync(largeFile), "large");
  console.log(`  imported the 150 MB graph in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return { small, large };
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
}

async function loadPhase(paths: string[], exportPath: string | null) {
  const latencies: number[] = [];
  let errors = 0;
  let exports = 0;
  let exportErrors = 0;
  const deadline = performance.now() + SECONDS * 1000;
  let next = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      const path = paths[next++ % paths.length]!;
      const t = performance.now();
      const ok = await call(path, { headers: { accept: "application/gzip, application/json, text/html" } }).then(
        (r) => r.status >= 200 && r.status < 300,
        () => false,
      );
      latencies.push(performance.now() - t);
      if (!ok) errors += 1;
    }
  };
  const exporter = async () => {
    while (exportPath && performance.now() < deadline) {
      const r = await call(exportPath).catch(() => null);
      if (r?.status === 200) exports += 1;
      else exportErrors += 1;
    }
  };
  const started = performance.now();
  const exporting = exporter();
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  const seconds = (performance.now() - started) / 1000;
  await exporting; // the export in flight at the deadline finishes (and counts) before the next phase
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
    exports,
    exportErrors,
  };
}

async function freshDatabase(provider: string): Promise<{ url: string; drop: () => Promise<void> }> {
  if (provider === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "cb-load-db-"));
    return { url: `file:${join(dir, "load.db")}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `cb_load_${randomBytes(4).toString("hex")}`;
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

const largeFile = join(mkdtempSync(join(tmpdir(), "cb-load-")), "large.json");
writeLargeSyntheticGraph(largeFile, 150_000_000);
console.log(`load: ${CONNECTIONS} connections, ${SECONDS} s per phase, loopback :${PORT}`);
for (const provider of DATABASES) {
  const database = await freshDatabase(provider);
  const dataDir = mkdtempSync(join(tmpdir(), "cb-load-data-"));
  const app = await startApp(database.url, dataDir);
  try {
    console.log(`\n[${provider}]`);
    const { small, large } = await setUpData(database.url, largeFile);
    const input = (o: object) => encodeURIComponent(JSON.stringify({ json: o }));
    const paths = [
      "/api/health",
      "/explore",
      `/api/trpc/graph.explore?input=${input({})}`,
      `/api/trpc/graph.get?input=${input({ graphId: small })}`,
      `/api/graphs/${small}/data`,
      `/g/${small}`,
    ];
    await loadPhase(paths.slice(0, 2), null); // warm-up of the compiled routes (not reported)
    for (const [name, exportPath] of [
      ["reads only", null],
      ["reads + 150 MB export", `/api/graphs/${large}/export`],
    ] as const) {
      const r = await loadPhase(paths, exportPath);
      console.log(
        `  ${name.padEnd(24)} ${r.rps.toFixed(1).padStart(7)} req/s   p50 ${r.p50.toFixed(0).padStart(5)} ms   ` +
          `p99 ${r.p99.toFixed(0).padStart(5)} ms   errors ${r.errors}/${r.requests}` +
          (exportPath ? `   exports done ${r.exports} (failed ${r.exportErrors})` : ""),
      );
    }
  } finally {
    await stopApp(app);
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
rmSync(largeFile, { force: true });
agent.destroy();
