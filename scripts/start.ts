/**
 * `npm start`: everything a fresh clone needs, then the app.
 *   1. configuration defaults (./data, a generated auth secret kept in ./data/auth-secret)
 *   2. database migrations (SQLite file by default, PostgreSQL when DATABASE_URL says so)
 *   3. demo data (idempotent)
 *   4. `next build` when there is no build or the sources are newer than it
 *   5. `next start` (or `next dev` with --dev)
 *   6. one GPU worker beside it (the demo model, or WORKER_MODEL_DIR), unless START_WORKER=0
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const isDev = process.argv.includes("--dev");
const DEMO_MODEL_DIR = "gpu-worker/assets/circuitboard-demo-gpt2";
const DEMO_TRANSCODERS_DIR = "gpu-worker/assets/circuitboard-demo-gpt2-transcoders";
process.env.NEXT_TELEMETRY_DISABLED = "1";

// 1. Configuration defaults, before anything reads env().
const dataDir = process.env.DATA_DIR || "./data";
mkdirSync(dataDir, { recursive: true });
/** A secret kept in DATA_DIR so restarts keep it (sessions stay valid, the worker stays connected). */
function persistentSecret(name: string): string {
  const file = join(dataDir, name);
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}
process.env.NEXTAUTH_SECRET ||= persistentSecret("auth-secret");
process.env.WORKER_TOKEN ||= persistentSecret("worker-token");
const port = process.env.PORT || "3000";
process.env.NEXTAUTH_URL ||= `http://localhost:${port}`;

const { env } = await import("../server/env");
const { applyMigrations } = await import("../server/db/migrate");
const { createDb } = await import("../server/db/client");
const { providerOf } = await import("../server/database-url");
const { seedDemo, DEMO_USER } = await import("../prisma/seed");

// 2. + 3. Database.
const config = env();
const applied = await applyMigrations(config.DATABASE_URL);
console.log(
  `database: ${providerOf(config.DATABASE_URL)}${applied.length ? `, applied ${applied.join(", ")}` : ", up to date"}`,
);
const db = createDb(config.DATABASE_URL);
await seedDemo(db);
await db.$disconnect();

// 4. Build when needed.
const SOURCES = ["app", "server", "prisma/models.prisma", "next.config.ts", "package-lock.json", "tsconfig.json"];
function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((n) => newestMtime(join(path, n))));
}
const buildId = join(".next", "BUILD_ID");
if (!isDev && (!existsSync(buildId) || statSync(buildId).mtimeMs < Math.max(...SOURCES.map(newestMtime)))) {
  console.log("building the web app (first start, or sources changed)…");
  const build = spawnSync("npx", ["next", "build"], { stdio: "inherit", env: process.env });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

// 5. Serve.
const next = spawn("npx", ["next", isDev ? "dev" : "start", "-p", port], { stdio: "inherit", env: process.env });
console.log(`
  Circuitboard → ${process.env.NEXTAUTH_URL}
  demo sign-in: ${DEMO_USER.email} / ${DEMO_USER.password}
`);

// 6. One worker beside the app. It connects over HTTP like a remote worker would, retrying until the app is up.
const workerModel = process.env.WORKER_MODEL_DIR || DEMO_MODEL_DIR;
const workerTranscoders = process.env.WORKER_TRANSCODERS_DIR || DEMO_TRANSCODERS_DIR;
let worker: ReturnType<typeof spawn> | undefined;
if (process.env.START_WORKER === "0") {
  console.log("worker: not started (START_WORKER=0)");
} else if (!existsSync(join(workerModel, "config.json")) || !existsSync(workerTranscoders)) {
  console.log(`worker: not started (no model at ${workerModel}; set WORKER_MODEL_DIR and WORKER_TRANSCODERS_DIR)`);
} else {
  worker = spawn(
    "npx",
    ["tsx", "gpu-worker/src/cli.ts", "serve", "--model", workerModel, "--transcoders", workerTranscoders],
    {
      stdio: "inherit",
      env: { ...process.env, CIRCUITBOARD_URL: `http://127.0.0.1:${port}` },
    },
  );
  // The demo model's feature dashboards (about 40 MB, too large to ship): computed once, in the
  // background at low priority, into DATA_DIR/dashboards/ where the app can serve them.
  const dashboards = join(dataDir, "dashboards", "circuitboard-demo-gpt2");
  if (workerModel === DEMO_MODEL_DIR && !existsSync(join(dashboards, "dashboards.json"))) {
    console.log(
      `worker: computing the demo model's feature dashboards into ${dashboards} (about a minute, in the background)`,
    );
    spawn(
      "nice",
      [
        "-n",
        "15",
        "npx",
        "tsx",
        "gpu-worker/src/cli.ts",
        "dashboards",
        "--model",
        workerModel,
        "--transcoders",
        workerTranscoders,
        "--corpus",
        "gpu-worker/assets/kjv-heldout.jsonl",
        "--out",
        dashboards,
      ],
      { stdio: "ignore", detached: false },
    );
  }
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    worker?.kill(signal);
    next.kill(signal);
  });
}
next.on("exit", (code) => {
  worker?.kill("SIGTERM");
  process.exit(code ?? 0);
});
