/**
 * `npm test`: the whole suite, in order of speed —
 *   typecheck (tsc, whole repository) → lint (Prettier, ESLint, import boundaries and cycles) → unit → worker (engine on tiny models) → integration (SQLite +
 *   PostgreSQL) → end-to-end (Playwright + Debian Chromium against `npm start` on a fresh database).
 * Every step runs even when an earlier one fails, so one run reports everything; the exit code is
 * non-zero when any step failed. `npm test -- unit integration` runs only the named steps.
 */
import { spawnSync } from "node:child_process";

const STEPS: Record<string, string[]> = {
  typecheck: ["npx", "tsc", "--noEmit", "-p", "."],
  lint: ["npm", "run", "--silent", "lint"],
  unit: ["npx", "vitest", "run", "--project", "unit"],
  worker: ["npx", "vitest", "run", "--project", "worker"],
  integration: ["npx", "vitest", "run", "--project", "integration"],
  e2e: ["npx", "playwright", "test"],
};

const wanted = process.argv.slice(2).filter((a) => a in STEPS);
const steps = wanted.length ? wanted : Object.keys(STEPS);
const results: { step: string; isOk: boolean; seconds: number }[] = [];

for (const step of steps) {
  const [command, ...args] = STEPS[step]!;
  console.log(`\n━━ ${step} ━━ ${STEPS[step]!.join(" ")}`);
  const t0 = Date.now();
  const r = spawnSync(command!, args, { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  results.push({ step, isOk: r.status === 0, seconds: (Date.now() - t0) / 1000 });
}

console.log("\n━━ summary ━━");
for (const r of results) console.log(`${r.isOk ? "PASS" : "FAIL"}  ${r.step.padEnd(12)} ${r.seconds.toFixed(1)} s`);
process.exit(results.every((r) => r.isOk) ? 0 : 1);
