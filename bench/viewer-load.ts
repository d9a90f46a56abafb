// Benchmark: the graph viewer in headless Debian Chromium (SwiftShader WebGL, no GPU), against the real app.
//
//   npx tsx bench/viewer-load.ts [--runs N]
//
// Starts the app on a fresh SQLite database (scripts/start.ts, which builds when the sources are newer than
// the build), signs up, imports the demo worker's 60-token graph and a synthetic 8,000-node / 1,000,000-link graph
// (bench/viewer-synthetic.ts, written once to bench/out/viewer/), then measures with the HTTP cache disabled:
//   - navigation -> first interactive frame: the `viewer:first-frame` performance mark (the frame after sigma's
//     first render with its handlers bound), in ms since navigation start; with the worker's split into
//     download / parse+validate / index;
//   - click -> highlight on the synthetic graph's top logit (thousands of links): from the mousedown to the
//     `viewer:highlight` mark (sigma has redrawn with the selection) and to `viewer:connections` (the
//     connections panel has committed).
// Each graph in two link modes: the default (links of the selection) and "strongest-5000" (the behaviour
// before issue 11), with their ratio. Goals (issue 11): default first frame <= 0.5x of strongest-5000 on the
// 1M-link graph; click -> highlight <= 100 ms. Reported, not asserted.
// Screenshots of each graph and of the selected hub are left in bench/out/viewer/ for a look.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { basename, join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../test/e2e/chromium";
import { CARRIED, carriedPath } from "../test/fixtures";
import { writeSyntheticGraph } from "./viewer-synthetic";

// The demo worker's graph of a 60-token prompt (carried in the repository), as the benchmark asks.
const LONG_GRAPH_PATH = carriedPath(CARRIED.demoLong);
const LONG_GRAPH = basename(LONG_GRAPH_PATH);
// Link modes (app/(viewer)/_components/link-mode.ts): the default since #11, and the overview of before
// (today's behaviour: the 5,000 strongest links of the whole graph), measured in the same run.
const MODES = ["selection", "strongest-5000"] as const;
const OUT_DIR = join(import.meta.dirname, "out", "viewer");
const PORT = Number(process.env.BENCH_PORT ?? 3291);
// BENCH_BASE_URL: measure an app that is already running instead of starting one.
const BASE_URL = process.env.BENCH_BASE_URL ?? `http://localhost:${PORT}`;
const runsArg = process.argv.indexOf("--runs");
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (value: number): string => `${Math.round(value).toLocaleString("en")} ms`;

// ---------------------------------------------------------------------------------------------------------
// The app.

let serverLog = (): string => "";

async function startApp(dataDir: string): Promise<ChildProcess> {
  const server = spawn("npx", ["tsx", "scripts/start.ts"], {
    cwd: join(import.meta.dirname, ".."),
    env: {
      ...process.env,
      PORT: String(PORT),
      DATA_DIR: dataDir,
      DATABASE_URL: `file:${join(dataDir, "bench.db")}`,
      NEXTAUTH_URL: BASE_URL,
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let log = "";
  const keep = (d: Buffer) => (log = (log + d.toString()).slice(-20_000));
  server.stdout!.on("data", keep);
  server.stderr!.on("data", keep);
  serverLog = () => log;
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the app exited (${server.exitCode}):\n${log.slice(-3000)}`);
    try {
      if ((await fetch(`${BASE_URL}/signin`)).ok) return server;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the app did not answer on ${BASE_URL} within 5 minutes:\n${log.slice(-3000)}`);
}

async function signUpAndImport(page: Page, files: { title: string; path: string }[]): Promise<Map<string, string>> {
  await page.goto(`${BASE_URL}/signup`);
  await page.getByLabel("Name").fill("Bench");
  const email = `bench-${Date.now()}@example.test`;
  await page.getByLabel("Email").fill(email);
  await page.getByLabel(/^Password/).fill("a long bench password");
  await page.getByRole("button", { name: "Create account" }).click();
  // Sign-up answers "check your mail"; an unverified account may sign in and use its own workspaces.
  await page.getByRole("heading", { name: "Check your mail" }).waitFor();
  await page.goto(`${BASE_URL}/signin`);
  await page.waitForLoadState("networkidle");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("a long bench password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Workspaces" }).waitFor();
  const workspace = `Viewer bench ${Date.now()}`;
  await page.getByLabel("Workspace name").fill(workspace);
  await page.getByRole("button", { name: "Create workspace" }).click();
  await page.getByRole("heading", { name: workspace, exact: true }).waitFor({ timeout: 60_000 });
  const slug = page.url().split("/w/")[1]!;
  const ids = new Map<string, string>();
  for (const { title, path } of files) {
    const started = performance.now();
    const res = await page.request.post(
      `${BASE_URL}/api/workspaces/${slug}/graphs?title=${encodeURIComponent(title)}`,
      {
        data: readFileSync(path),
        headers: { "content-type": "application/json" },
        timeout: 300_000,
      },
    );
    if (res.status() !== 201) throw new Error(`import of ${path}: ${res.status()} ${await res.text()}`);
    ids.set(title, ((await res.json()) as { id: string }).id);
    console.log(
      `  imported ${title} (${(statSync(path).size / 1e6).toFixed(1)} MB) in ${ms(performance.now() - started)}`,
    );
  }
  return ids;
}

// ---------------------------------------------------------------------------------------------------------
// Measurements.

interface TLoadRun {
  firstFrameMs: number;
  parsedMs: number;
  downloadMs: number;
  parseMs: number;
  indexMs: number;
}

async function measureLoad(
  context: BrowserContext,
  graphId: string,
  mode: string,
  screenshot?: string,
): Promise<TLoadRun> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await page.goto(`${BASE_URL}/g/${graphId}?links=${mode}`, { waitUntil: "commit" });
  await page.waitForFunction(
    () => performance.getEntriesByName("viewer:first-frame").length > 0 && window.__circuitboardViewer !== undefined,
    null,
    { timeout: 120_000, polling: 20 },
  );
  // No helper functions inside evaluate(): tsx names them with a `__name` helper the page does not have.
  const run = await page.evaluate(() => {
    const t = window.__circuitboardViewer!.timings;
    return {
      firstFrameMs: performance.getEntriesByName("viewer:first-frame")[0]!.startTime,
      parsedMs: performance.getEntriesByName("viewer:parsed")[0]!.startTime,
      downloadMs: t.downloadMs,
      parseMs: t.parseMs,
      indexMs: t.indexMs,
    };
  });
  if (screenshot) await page.screenshot({ path: join(OUT_DIR, screenshot) });
  await cdp.detach();
  await page.close();
  return run;
}

interface TClickRun {
  highlightMs: number;
  panelMs: number;
}

interface THub {
  readonly hubLogitId: string;
  readonly hubLogitLabel: string;
  readonly hubLogitDegree: number;
}

/** The most probable logit of a graph file: what a user clicks first. */
function hubOf(path: string): THub {
  const file = JSON.parse(readFileSync(path, "utf8")) as {
    nodes: { node_id: string; feature_type: string; token_prob?: number; clerp?: string }[];
    links: { target: string }[];
  };
  const top = file.nodes
    .filter((n) => n.feature_type === "logit")
    .reduce((a, b) => ((b.token_prob ?? 0) > (a.token_prob ?? 0) ? b : a));
  return {
    hubLogitId: top.node_id,
    hubLogitLabel: top.clerp ?? "",
    hubLogitDegree: file.links.filter((l) => l.target === top.node_id).length,
  };
}

async function measureClicks(
  context: BrowserContext,
  graphId: string,
  synthetic: THub,
  mode: string,
): Promise<TClickRun[]> {
  const page = await context.newPage();
  await page.goto(`${BASE_URL}/g/${graphId}?links=${mode}`);
  await page.waitForFunction(
    () => performance.getEntriesByName("viewer:first-frame").length > 0 && window.__circuitboardViewer !== undefined,
    null,
    { timeout: 120_000 },
  );
  await page.evaluate(() => {
    const w = window as unknown as { __benchDown: number };
    window.addEventListener("mousedown", () => (w.__benchDown = performance.now()), { capture: true });
  });
  const box = (await page.getByTestId("graph-canvas").boundingBox())!;
  const runs: TClickRun[] = [];
  for (let r = 0; r < RUNS + 1; r += 1) {
    // Empty stage at the canvas's top-left corner (above the logit row; the bottom may be below the fold).
    await page.mouse.click(box.x + 6, box.y + 6);
    await page.waitForTimeout(300);
    const position = await page.evaluate((id) => window.__circuitboardViewer!.positionOf(id), synthetic.hubLogitId);
    if (!position) throw new Error(`the hub logit ${synthetic.hubLogitId} is not drawn`);
    const before = await page.evaluate(() => performance.getEntriesByName("viewer:highlight").length);
    await page.mouse.click(box.x + position.x, box.y + position.y);
    await page
      .waitForFunction((n) => performance.getEntriesByName("viewer:highlight").length > n, before, {
        polling: 10,
        timeout: 10_000,
      })
      .catch(async (error: unknown) => {
        await page.screenshot({ path: join(OUT_DIR, "click-failure.png") });
        throw new Error(
          `click ${r} at ${JSON.stringify(position)} selected nothing (bench/out/viewer/click-failure.png): ${String(error)}`,
        );
      });
    const selected = await page
      .getByTestId("feature-label")
      .textContent({ timeout: 10_000 })
      .catch(() => null);
    if (selected !== synthetic.hubLogitLabel) {
      await page.screenshot({ path: join(OUT_DIR, "click-failure.png") });
      throw new Error(
        `the click at ${JSON.stringify(position)} selected ${JSON.stringify(selected)}, not the hub logit (bench/out/viewer/click-failure.png)`,
      );
    }
    const run = await page.evaluate(() => {
      const down = (window as unknown as { __benchDown: number }).__benchDown;
      return {
        highlightMs: performance.getEntriesByName("viewer:highlight").at(-1)!.startTime - down,
        panelMs: performance.getEntriesByName("viewer:connections").at(-1)!.startTime - down,
      };
    });
    if (r > 0) runs.push(run); // the first click warms the code paths
  }
  await page.screenshot({ path: join(OUT_DIR, `selected-${graphId}-${mode}.png`) });
  await page.close();
  return runs;
}

// ---------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  mkdirSync(OUT_DIR, { recursive: true });
  const syntheticPath = join(OUT_DIR, "synthetic-8000-nodes-1000000-links-hubs.json");
  console.log("writing the synthetic graph…");
  const synthetic = writeSyntheticGraph(syntheticPath);
  console.log(
    `  ${syntheticPath}: ${(synthetic.sizeBytes / 1e6).toFixed(1)} MB; hub logit ${synthetic.hubLogitId} has ${synthetic.hubLogitDegree.toLocaleString("en")} links`,
  );

  const dataDir = mkdtempSync(join(tmpdir(), "cb-bench-viewer-"));
  const profileDir = mkdtempSync(join(tmpdir(), "cb-bench-chromium-"));
  if (!process.env.BENCH_BASE_URL)
    console.log(`starting the app on ${BASE_URL} (builds first when the sources changed)…`);
  const server = process.env.BENCH_BASE_URL ? null : await startApp(dataDir);
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS],
    headless: true,
    viewport: { width: 1440, height: 900 },
  });
  try {
    const setup = await context.newPage();
    const ids = await signUpAndImport(setup, [
      { title: LONG_GRAPH, path: LONG_GRAPH_PATH },
      { title: "synthetic 8k/1M", path: syntheticPath },
    ]);
    await setup.close();
    const hubs = new Map<string, THub>([
      [LONG_GRAPH, hubOf(LONG_GRAPH_PATH)],
      ["synthetic 8k/1M", synthetic],
    ]);

    type TResult = { name: string; mode: string; runs: TLoadRun[]; clicks: TClickRun[] };
    const results: TResult[] = [];
    for (const name of [LONG_GRAPH, "synthetic 8k/1M"]) {
      for (const mode of MODES) {
        const runs: TLoadRun[] = [];
        // Warm-up (the server's first render of the page, JIT), kept as a screenshot for a look at the drawing.
        await measureLoad(context, ids.get(name)!, mode, `${name.replace(/\W+/g, "-")}-${mode}.png`);
        for (let r = 0; r < RUNS; r += 1) runs.push(await measureLoad(context, ids.get(name)!, mode));
        const clicks = await measureClicks(context, ids.get(name)!, hubs.get(name)!, mode);
        results.push({ name, mode, runs, clicks });
      }
    }

    const version = execFileSync(CHROMIUM_PATH, ["--version"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    console.log(
      `\nViewer benchmark: headless ${version}, SwiftShader WebGL, ${cpus().length} CPU cores, median of ${RUNS} runs, HTTP cache off\n`,
    );
    const firstFrame = (r: TResult) => median(r.runs.map((x) => x.firstFrameMs));
    const click = (r: TResult) => median(r.clicks.map((c) => c.highlightMs));
    for (const name of [LONG_GRAPH, "synthetic 8k/1M"]) {
      const [selection, strongest] = MODES.map((mode) => results.find((r) => r.name === name && r.mode === mode)!);
      console.log(`${name} (top logit: ${hubs.get(name)!.hubLogitDegree.toLocaleString("en")} input links)`);
      for (const r of [selection!, strongest!]) {
        const m = (key: keyof TLoadRun) => ms(median(r.runs.map((x) => x[key])));
        console.log(
          `  ${r.mode.padEnd(16)} first frame ${m("firstFrameMs").padStart(9)} (download ${m("downloadMs")}, parse ${m("parseMs")}, index ${m("indexMs")})` +
            `  click -> highlight ${ms(click(r)).padStart(7)}  panel ${ms(median(r.clicks.map((c) => c.panelMs)))}`,
        );
      }
      console.log(
        `  default / strongest-5000: first frame ${(firstFrame(selection!) / firstFrame(strongest!)).toFixed(2)}x, click ${(click(selection!) / click(strongest!)).toFixed(2)}x  (goals: first frame <= 0.5x on the 1M-link graph; click <= 100 ms)`,
      );
    }
  } catch (error) {
    console.error(`the benchmark failed; the app's last output:\n${serverLog().slice(-4000)}`);
    throw error;
  } finally {
    await context.close();
    try {
      if (server?.pid) process.kill(-server.pid, "SIGTERM");
    } catch {
      // already gone
    }
    rmSync(profileDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
    if (!existsSync(syntheticPath)) console.warn("the synthetic graph disappeared");
  }
}

await main();
