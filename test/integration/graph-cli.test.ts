/** The graph CLI's database commands, run as a user would run them: a child process on a real SQLite file. */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseGraph } from "@circuitboard/shared/graph-format";
import { CARRIED, carriedPath } from "./helpers/fixtures";

const dir = mkdtempSync(join(tmpdir(), "cb-cli-"));
const env = { ...process.env, DATABASE_URL: `file:${join(dir, "cli.db")}`, DATA_DIR: dir };
const cli = (...args: string[]) =>
  spawnSync("npx", ["tsx", "scripts/graph-cli/main.ts", ...args], { env, encoding: "utf8" });

describe("npm run graph -- import / export", () => {
  it("imports a graph with a saved subgraph into a workspace and exports it back to an equivalent file", () => {
    execFileSync("npx", ["tsx", "prisma/seed.ts"], { env });
    const file = carriedPath(CARRIED.neuronpediaFeatured);
    const imported = cli("import", file, "--workspace", "demo", "--title", "small big", "--visibility", "unlisted");
    expect(imported.status, imported.stderr).toBe(0);
    const row = JSON.parse(imported.stdout);
    expect(row).toMatchObject({
      ok: true,
      title: "small big",
      nodeCount: 24,
      linkCount: 13,
      visibility: "unlisted",
    });

    const out = join(dir, "out.json");
    const exported = cli("export", row.id, "--out", out);
    expect(exported.status, exported.stderr).toBe(0);
    const back = parseGraph(readFileSync(out));
    expect(back.counts).toMatchObject({ nodes: 24, links: 13, pinnedIds: 6, supernodes: 2 });
  });

  it("fails with exit code 1 and a message for an unknown workspace or an unreadable file; 2 for usage", () => {
    const unknown = cli("import", carriedPath(CARRIED.demoGenesis), "--workspace", "no-such-ws");
    expect(unknown.status).toBe(1);
    expect(JSON.parse(unknown.stdout).error.message).toMatch(/no workspace "no-such-ws"/);
    const bad = cli("import", join(import.meta.dirname, "graph-cli.test.ts"), "--workspace", "demo");
    expect(bad.status).toBe(1);
    expect(JSON.parse(bad.stdout).error.message).toMatch(/Not a readable graph file: Invalid JSON at line 1/);
    expect(cli("import", "x.json").status).toBe(2);
  });
});
