import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

// Three suites, run by `npm test` in this order (see scripts/test.ts):
//   unit         pure functions, no I/O beyond reading fixtures
//   worker       the GPU worker's engine and loaders (tiny random models written in real file formats)
//   integration  services and tRPC over a real SQLite file and a real PostgreSQL database
export default defineConfig({
  resolve: { alias: { "~": root.replace(/\/$/, "") } },
  test: {
    projects: [
      { extends: true, test: { name: "unit", include: ["test/unit/**/*.test.ts"] } },
      {
        extends: true,
        test: { name: "worker", include: ["test/worker/**/*.test.ts"], testTimeout: 120_000 },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
