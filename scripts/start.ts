/**
 * `npm start`: everything a fresh clone needs, then the app.
 *   1. configuration defaults (./data, a generated auth secret kept in ./data/auth-secret)
 *   2. database migrations (SQLite file DATA_DIR/circuitboard.db by default, PostgreSQL when DATABASE_URL says so)
 *   3. demo data (idempotent), inside the migration lock so instances starting together do not race
 *   4. `next build` when there is no build or the sources are newer than it
 *   5. the front server (server/http/front-server.ts) around Next, in this process (Next in dev mode with --dev)
 *   6. the sweeper (server/maintenance/sweeper.ts): once in the background, then every 15 minutes
 *   7. one GPU worker beside it (the demo model, or WORKER_MODEL_DIR), unless START_WORKER=0, and the demo
 *      model's feature dashboards queued for it as a system job
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const isDev = process.argv.includes("--dev");
const DEMO_MODEL_DIR = "gpu-worker/assets/circuitboard-demo-gpt2";
const DEMO_TRANSCODERS_DIR = "gpu-worker/assets/circuitboard-demo-gpt2-transcoders";
// The ids the worker announces for them (its directory names; graph-identity.ts) and the dashboards' corpus:
// 32 windows of 64 tokens of held-out text: about 30 s on a busy 2-core CPU (256 took 2 minutes), so a
// generation queued behind it (the worker runs one main-lane job at a time) does not wait long.
const DEMO_MODEL_ID = "circuitboard-demo-gpt2";
const DEMO_TRANSCODER_SET_ID = "circuitboard-demo-gpt2-transcoders";
const DEMO_DASHBOARD_CORPUS = "kjv-heldout";
const DEMO_DASHBOARD_WINDOWS = 32;
process.env.NEXT_TELEMETRY_DISABLED = "1";
// Before Next is imported: it reads NODE_ENV when it loads.
Object.assign(process.env, { NODE_ENV: process.env.NODE_ENV ?? (isDev ? "development" : "production") });

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
const db = createDb(config.DATABASE_URL);
const applied = await applyMigrations(config.DATABASE_URL, process.cwd(), {
  whileLocked: () => seedDemo(db).then(() => undefined),
});
console.log(
  `database: ${providerOf(config.DATABASE_URL)}${applied.length ? `, applied ${applied.join(", ")}` : ", up to date"}`,
);

// 4. Build when needed.
const SOURCES = [
  "app",
  "server",
  "packages/shared/src",
  "prisma/models.prisma",
  "next.config.ts",
  "package-lock.json",
  "tsconfig.json",
];
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

// 5. Serve: the front server around Next, in this process.
const { default: createNext } = await import("next");
const { createFrontServer } = await import("../server/http/front-server");
const { DEFAULT_OTHER_BODY_BYTES } = await import("../server/http/front-policy");
const nextApp = createNext({ dev: isDev, dir: process.cwd(), port: Number(port) });
await nextApp.prepare();
const handleNext = nextApp.getRequestHandler();
const server = createFrontServer({
  handle: (req, res) => handleNext(req, res),
  trustProxyHops: config.TRUST_PROXY_HOPS,
  bodyLimits: {
    uploadBytes: config.MAX_UPLOAD_BYTES,
    trpcBytes: config.TRPC_MAX_BODY_BYTES,
    otherBytes: DEFAULT_OTHER_BODY_BYTES,
  },
  publicUrl: process.env.NEXTAUTH_URL,
  isDev,
});
if (isDev) {
  const upgrade = nextApp.getUpgradeHandler();
  server.on("upgrade", (req, socket, head) => void upgrade(req, socket, head));
}
await new Promise<void>((resolve) => server.listen(Number(port), resolve));
console.log(`
  Circuitboard → ${process.env.NEXTAUTH_URL}
  demo sign-in: ${DEMO_USER.email} / ${DEMO_USER.password}
`);

// 6. The sweeper: what crashes and expired windows leave behind.
const { sweepOnce, SWEEP_INTERVAL_MS } = await import("../server/maintenance/sweeper");
const { getBlobStore } = await import("../server/storage");
const sweep = () =>
  sweepOnce(db, getBlobStore(), { longestWindowSeconds: Math.max(config.SIGNIN_WINDOW_SECONDS, 24 * 3600) })
    .then((r) => {
      const total = Object.values(r).reduce((a, b) => a + b, 0);
      if (total > 0) console.log(`sweeper: ${JSON.stringify(r)}`);
    })
    .catch((e: unknown) => console.error("sweeper failed:", e));
void sweep();
const sweeper = setInterval(() => void sweep(), SWEEP_INTERVAL_MS);
sweeper.unref();

// 7. One worker beside the app. It connects over HTTP like a remote worker would, retrying until the app is up.
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
  // The demo model's feature dashboards: a system job at the lowest priority (any user's generation is
  // claimed first), which the worker uploads into the BlobStore; queued once, none once computed.
  if (workerModel === DEMO_MODEL_DIR) {
    const { enqueueDashboardsJob } = await import("../server/services/feature-dashboards");
    await enqueueDashboardsJob(db, {
      modelId: DEMO_MODEL_ID,
      transcoderSetId: DEMO_TRANSCODER_SET_ID,
      corpus: DEMO_DASHBOARD_CORPUS,
      maxWindows: DEMO_DASHBOARD_WINDOWS,
    })
      .then((r) => console.log(`worker: the demo model's feature dashboards are ${r.status}`))
      .catch((e: unknown) => console.error("worker: could not queue the demo model's dashboards:", e));
  }
}

let isStopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (isStopping) return;
    isStopping = true;
    worker?.kill(signal);
    clearInterval(sweeper);
    server.close();
    server.closeAllConnections();
    void nextApp
      .close()
      .catch(() => undefined)
      .then(() => db.$disconnect())
      .finally(() => process.exit(0));
  });
}
