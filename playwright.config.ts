/**
 * End-to-end tests in Debian's Chromium (never a downloaded browser). The web server is the real
 * `npm start` path on a fresh SQLite database in a temporary directory.
 */
import { defineConfig } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./test/e2e/chromium";

const port = Number(process.env.E2E_PORT ?? 3217);
const dataDir = process.env.E2E_DATA_DIR ?? mkdtempSync(join(tmpdir(), "cb-e2e-"));
process.env.E2E_DATA_DIR = dataDir; // workers re-read this config; keep one directory per run

export default defineConfig({
  testDir: "test/e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  reporter: process.env.CI ? "list" : [["list"]],
  use: {
    baseURL: `http://localhost:${port}`,
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS],
    },
    trace: "retain-on-failure",
  },
  webServer: {
    command: "npx tsx scripts/start.ts",
    url: `http://localhost:${port}/signin`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: {
      PORT: String(port),
      DATA_DIR: dataDir,
      DATABASE_URL: `file:${join(dataDir, "e2e.db")}`,
      NEXTAUTH_URL: `http://localhost:${port}`,
      // Every spec signs up from this one machine's address; the per-IP limit is tested on its own.
      SIGNUP_MAX_PER_IP: "1000",
      // Mail goes to the dev outbox in DATA_DIR (the specs read it), whatever the environment says.
      SMTP_URL: "",
    },
  },
});
