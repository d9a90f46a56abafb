/**
 * `npm start`: everything a fresh clone needs, then the app.
 *   1. configuration defaults (./data, a generated auth secret kept in ./data/auth-secret)
 *   2. database migrations (SQLite file by default, PostgreSQL when DATABASE_URL says so)
 *   3. demo data (idempotent)
 *   4. `next build` when there is no build or the sources are newer than it
 *   5. `next start` (or `next dev` with --dev)
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const isDev = process.argv.includes("--dev");
process.env.NEXT_TELEMETRY_DISABLED = "1";

// 1. Configuration defaults, before anything reads env().
const dataDir = process.env.DATA_DIR || "./data";
mkdirSync(dataDir, { recursive: true });
if (!process.env.NEXTAUTH_SECRET) {
  const secretFile = join(dataDir, "auth-secret");
  if (!existsSync(secretFile)) writeFileSync(secretFile, randomBytes(32).toString("base64url"), { mode: 0o600 });
  process.env.NEXTAUTH_SECRET = readFileSync(secretFile, "utf8").trim();
}
const port = process.env.PORT || "3000";
process.env.NEXTAUTH_URL ||= `http://localhost:${port}`;

const { env } = await import("../server/env");
const { applyMigrations } = await import("../server/db/migrate");
const { createDb } = await import("../server/db/client");
const { providerOf } = await import("../server/db/providers");
const { seedDemo, DEMO_USER } = await import("../prisma/seed");

// 2. + 3. Database.
const config = env();
const applied = await applyMigrations(config.DATABASE_URL);
console.log(`database: ${providerOf(config.DATABASE_URL)}${applied.length ? `, applied ${applied.join(", ")}` : ", up to date"}`);
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
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => next.kill(signal));
next.on("exit", (code) => process.exit(code ?? 0));
