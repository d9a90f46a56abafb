import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseGraph } from "@circuitboard/shared/graph-format";
import { CARRIED, carriedPath, readCarried } from "../fixtures";
import { expectSameGraph } from "../unit/graph-format/graph-equality";
import { makeGraphJson, type TJsonObject } from "../unit/graph-format/make-graph-json";

// The graph CLI's file commands as users run them: a real process, its stdout and its exit code (no database).

const REPO_ROOT = join(import.meta.dirname, "../..");
const scratch = mkdtempSync(join(tmpdir(), "graph-cli-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function runCli(...args: string[]): { status: number | null; output: Record<string, unknown> | null; stderr: string } {
  const result = spawnSync("npx", ["tsx", "scripts/graph-cli/main.ts", ...args], { cwd: REPO_ROOT, encoding: "utf8" });
  const lines = result.stdout.trim().split("\n").filter(Boolean);
  expect(lines.length).toBeLessThanOrEqual(1); // one JSON object, or nothing on a usage error
  return {
    status: result.status,
    output: lines[0] ? (JSON.parse(lines[0]) as Record<string, unknown>) : null,
    stderr: result.stderr,
  };
}

function writeScratch(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

describe("tsx scripts/graph-cli/main.ts", { timeout: 60_000 }, () => {
  it("validate prints the counts of a readable file and exits 0", () => {
    const { status, output } = runCli("validate", carriedPath(CARRIED.neuronpediaFeatured));
    expect(output).toEqual({ ok: true, nodes: 24, links: 13, pinnedIds: 6, supernodes: 2 });
    expect(status).toBe(0);
  });

  const UNREADABLE: readonly { name: string; text: string; path: string }[] = [
    {
      name: "a truncated file",
      text: readCarried(CARRIED.demoBegat).toString("utf8").slice(0, 20_000),
      path: "$.nodes[",
    },
    {
      name: "a dangling link target",
      text: JSON.stringify({ ...makeGraphJson(), links: [{ source: "E_651_1", target: "nope", weight: 1 }] }),
      path: "$.links[0].target",
    },
    {
      name: "a non-numeric weight",
      text: JSON.stringify({ ...makeGraphJson(), links: [{ source: "E_651_1", target: "0_17_1", weight: "1" }] }),
      path: "$.links[0].weight",
    },
  ];
  for (const { name, text, path } of UNREADABLE) {
    it(`validate reports ${name} with its JSON path and exits 1`, () => {
      const { status, output } = runCli("validate", writeScratch(`${name}.json`, text));
      expect(output?.ok).toBe(false);
      const error = output?.error as { path: string; message: string };
      expect(error.path.startsWith(path)).toBe(true);
      expect(error.message).toContain(error.path);
      expect(status).toBe(1);
    });
  }

  it("validate exits 1 for a file that does not exist", () => {
    const { status, output } = runCli("validate", join(scratch, "missing.json"));
    expect(output).toMatchObject({ ok: false, error: { code: "UNREADABLE_FILE" } });
    expect(status).toBe(1);
  });

  it("convert writes a Neuronpedia file that reads back as the same graph", () => {
    const out = join(scratch, "converted.json");
    const { status, output } = runCli("convert", carriedPath(CARRIED.demoBegat), "--out", out);
    expect(output).toMatchObject({ ok: true, nodes: 94, links: 1895, out });
    expect(status).toBe(0);
    const back = parseGraph(readFileSync(out));
    // A file path in metadata.scan (as older workers wrote) leaves as the transcoder set's stable id.
    expect(back.metadata.scan).toBe("circuitboard-demo-gpt2-transcoders");
    const original = parseGraph(readCarried(CARRIED.demoBegat));
    expectSameGraph(back, { ...original, metadata: { ...original.metadata, scan: back.metadata.scan } });
  });

  it("convert fills what a lean input lacked (its output validates again)", () => {
    const json = makeGraphJson();
    delete json.qParams;
    for (const node of json.nodes as TJsonObject[]) delete node.jsNodeId;
    const out = join(scratch, "lean-out.json");
    expect(runCli("convert", writeScratch("lean.json", JSON.stringify(json)), "--out", out).status).toBe(0);
    expect(runCli("validate", out)).toMatchObject({ status: 0, output: { ok: true, nodes: 5, links: 4 } });
  });

  it("exits 2 with usage on stderr for an unknown command or missing arguments", () => {
    for (const args of [["frobnicate"], [], ["convert", "in.json"]]) {
      const { status, output, stderr } = runCli(...args);
      expect(status).toBe(2);
      expect(output).toBeNull();
      expect(stderr).toContain("usage:");
    }
  });
});
