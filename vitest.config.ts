import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));
// Each step says once whether the interop suite (real third-party fixtures, test/fixtures/index.ts) runs.
const INTEROP_NOTICE = ["test/fixtures/interop-notice.ts"];

// Three suites, run by `npm test` in this order (see scripts/test.ts):
//   unit         pure functions, no I/O beyond reading fixtures (no processes, no databases)
//   worker       the GPU worker's engine and loaders (tiny random models written in real file formats)
//   integration  services and tRPC over a real SQLite file and a real PostgreSQL database; CLIs as child processes
export default defineConfig({
  resolve: { alias: { "~": root.replace(/\/$/, "") } },
  test: {
    projects: [
      {
        extends: true,
        // Pure functions share no state worth isolating: one module graph for all files halves the step (14 s -> 7 s).
        test: { name: "unit", include: ["test/unit/**/*.test.ts"], globalSetup: INTEROP_NOTICE, isolate: false },
      },
      {
        extends: true,
        test: {
          name: "worker",
          include: ["test/worker/**/*.test.ts"],
          testTimeout: 120_000,
          globalSetup: INTEROP_NOTICE,
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          globalSetup: INTEROP_NOTICE,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
