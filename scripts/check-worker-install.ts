/**
 * `npm run worker:check-install`: the GPU worker installs and runs without the web app. In a temporary
 * directory holding only the root package.json, the lockfile, gpu-worker/ and packages/shared, runs
 * `npm ci -w gpu-worker`, checks that no Next.js, Prisma or React was installed, and generates a graph with
 * the demo model. Needs the npm registry (or its cache); not part of `npm test`.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dir = mkdtempSync(join(tmpdir(), "cb-worker-install-"));
const run = (cmd: string, args: string[], cwd = dir) => {
  console.log(`$ ${cmd} ${args.join(" ")}`);
  const r = spawnSync(cmd, args, { cwd, stdio: "inherit" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: exit ${r.status}`);
};
try {
  for (const path of ["package.json", "package-lock.json"]) cpSync(path, join(dir, path));
  const skip = (src: string) => !/node_modules|\/data\//.test(src);
  cpSync("packages/shared", join(dir, "packages/shared"), { recursive: true, filter: skip });
  cpSync("gpu-worker", join(dir, "gpu-worker"), { recursive: true, filter: skip });
  run("npm", ["ci", "-w", "gpu-worker", "--no-audit", "--no-fund"]);
  const present = ["next", "@prisma/client", "prisma", "react", "react-dom"].filter((p) =>
    existsSync(join(dir, "node_modules", p)),
  );
  if (present.length > 0)
    throw new Error(`the worker's install pulled in the web app's packages: ${present.join(", ")}`);
  const out = join(dir, "graph.json");
  run("npm", [
    "run",
    "-w",
    "gpu-worker",
    "worker",
    "--",
    "attribute",
    "--model",
    "assets/circuitboard-demo-gpt2",
    "--transcoders",
    "assets/circuitboard-demo-gpt2-transcoders",
    "--prompt",
    "In the beginning God created",
    "--out",
    out,
    "--device",
    "cpu",
  ]);
  const graph = JSON.parse(readFileSync(out, "utf8")) as { nodes: unknown[]; links: unknown[] };
  console.log(
    `ok: installed without Next.js, Prisma or React; generated ${graph.nodes.length} nodes, ${graph.links.length} links`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
