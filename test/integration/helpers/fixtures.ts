import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * The real graph files shared beside the repository (read-only; provenance and counts in their README).
 * CIRCUITBOARD_FIXTURES overrides; otherwise ../shared next to the checkout, then the team's machine path.
 */
export const FIXTURES_DIR =
  [
    process.env.CIRCUITBOARD_FIXTURES,
    fileURLToPath(new URL("../../../../shared/fixtures/graphs", import.meta.url)),
    "/work/shared/fixtures/graphs",
  ].find((d): d is string => Boolean(d && existsSync(d))) ?? "/work/shared/fixtures/graphs";
