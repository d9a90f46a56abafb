// Benchmark: does discussion slow the viewer? The largest fixture opened with no comments and with 500
// comment threads over its nodes (badges, the comments panel, the live stream), in headless Chromium.
//
//   npx tsx bench/viewer-comments.ts [--runs N]
//
// Starts the app on a fresh SQLite database (scripts/start.ts; START_WORKER=0), imports the fixture twice,
// posts 500 threads on the second copy (node i mod nodeCount), then opens each copy N times (default 5),
// interleaved, with the HTTP cache off, and reports the median navigation -> first interactive frame
// (`viewer:first-frame`) of each and their ratio (goal: within 20%), plus when the comment badges were
// drawn on the commented copy. Reported, not asserted.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../test/e2e/chromium";
import { largestGraphFile } from "./fixtures";

const FIXTURE = largestGraphFile();
const COMMENTS = 500;
const PORT = Number(process.env.BENCH_PORT ?? 3292);
const BASE_URL = `http://localhost:${PORT}`;
const runsArg = process.argv.indexOf("--runs");
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const ms = (v: number) => `${Math.round(v).toLocaleString("en")} ms`;

async function startApp(dataDir: string): Promise<ChildProcess> {
  const server = spawn("npx", ["tsx", "scripts/start.ts"], {
    cwd: join(import.meta.dirname, ".."),
    env: {
      ...process.env,
      PORT: String(PORT),
      DATA_DIR: dataDir,
      DATABASE_URL: `file:${join(dataDir, "bench.db")}`,
      NEXTAUTH_URL: BASE_URL,
      START_WORKER: "0",
      COMMENT_MAX_PER_WINDOW: "100000",
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let log = "";
  for (const s of [server.stdout!, server.stderr!])
    s.on("data", (d: Buffer) => (log = (log + d.toString()).slice(-8000)));
  for (const deadline = Date.now() + 300_000; Date.now() < deadline;) {
    if (server.exitCode !== null) throw new Error(`the app exited (${server.exitCode}):\n${log}`);
    if (
      await fetch(`${BASE_URL}/signin`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return server;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the app did not start:\n${log}`);
}

async function openOnce(context: BrowserContext, graphId: string, isWaitingForBadges: boolean) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await page.goto(`${BASE_URL}/g/${graphId}`, { waitUntil: "commit" });
  await page.waitForFunction(() => performance.getEntriesByName("viewer:first-frame").length > 0, null, {
    timeout: 120_000,
    polling: 20,
  });
  let badgesMs: number | null = null;
  if (isWaitingForBadges) {
    await page.waitForFunction(
      () => (document.querySelector('[data-testid="comment-badges"]')?.getAttribute("data-badges") ?? "") !== "",
      null,
      { timeout: 60_000, polling: 20 },
    );
    badgesMs = await page.evaluate(() => performance.now());
  }
  const firstFrameMs = await page.evaluate(() => performance.getEntriesByName("viewer:first-frame")[0]!.startTime);
  await cdp.detach();
  await page.close();
  return { firstFrameMs, badgesMs };
}

const dataDir = mkdtempSync(join(tmpdir(), "cb-bench-comments-"));
const profileDir = mkdtempSync(join(tmpdir(), "cb-bench-chromium-"));
console.log(`starting the app on ${BASE_URL} (builds first when the sources changed)…`);
const server = await startApp(dataDir);
const context = await chromium.launchPersistentContext(profileDir, {
  executablePath: CHROMIUM_PATH,
  args: [...CHROMIUM_ARGS],
  headless: true,
  viewport: { width: 1440, height: 900 },
});
try {
  const page = await context.newPage();
  await page.goto(`${BASE_URL}/signup`);
  await page.getByLabel("Name").fill("Bench");
  await page.getByLabel("Email").fill(`bench-${Date.now()}@example.test`);
  await page.getByLabel(/^Password/).fill("a long bench password");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("heading", { name: "Workspaces" }).waitFor();
  await page.getByLabel("Workspace name").fill("Comments bench");
  await page.getByRole("button", { name: "Create workspace" }).click();
  await page.getByRole("heading", { name: "Comments bench", exact: true }).waitFor({ timeout: 60_000 });
  const slug = page.url().split("/w/")[1]!;
  const body = readFileSync(FIXTURE);
  const ids: string[] = [];
  for (const title of ["no comments", "500 comments"]) {
    const res = await page.request.post(
      `${BASE_URL}/api/workspaces/${slug}/graphs?title=${encodeURIComponent(title)}`,
      {
        data: body,
        headers: { "content-type": "application/json" },
        timeout: 300_000,
      },
    );
    if (res.status() !== 201) throw new Error(`import: ${res.status()} ${await res.text()}`);
    ids.push(((await res.json()) as { id: string }).id);
  }
  const nodeIds = (JSON.parse(body.toString("utf8")) as { nodes: { node_id: string }[] }).nodes.map((n) => n.node_id);
  const started = performance.now();
  for (let i = 0; i < COMMENTS; i++) {
    const res = await page.request.post(`${BASE_URL}/api/trpc/comment.create`, {
      data: {
        json: {
          graphId: ids[1],
          anchor: { kind: "node", nodeId: nodeIds[i % nodeIds.length] },
          body: `Bench comment ${i}: **why** does [[${nodeIds[(i + 1) % nodeIds.length]}]] feed this node?`,
        },
      },
    });
    if (res.status() !== 200) throw new Error(`comment ${i}: ${res.status()} ${await res.text()}`);
  }
  console.log(
    `  posted ${COMMENTS} threads over ${Math.min(COMMENTS, nodeIds.length)} nodes in ${ms(performance.now() - started)}`,
  );
  await page.close();

  await openOnce(context, ids[0]!, false); // warm-up: server render, JIT
  await openOnce(context, ids[1]!, true);
  const plain: number[] = [];
  const commented: number[] = [];
  const badges: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    plain.push((await openOnce(context, ids[0]!, false)).firstFrameMs);
    const run = await openOnce(context, ids[1]!, true);
    commented.push(run.firstFrameMs);
    badges.push(run.badgesMs!);
  }
  console.log(
    `\nViewer with comments: ${FIXTURE.split("/").at(-1)}, headless Chromium, ${cpus().length} CPU cores, median of ${RUNS}, HTTP cache off\n`,
  );
  console.log(
    `  navigation -> first frame, no comments      ${ms(median(plain)).padStart(9)}  (runs ${plain.map(ms).join(", ")})`,
  );
  console.log(
    `  navigation -> first frame, ${COMMENTS} threads      ${ms(median(commented)).padStart(9)}  (runs ${commented.map(ms).join(", ")})`,
  );
  console.log(
    `  ratio (with / without)                       ${(median(commented) / median(plain)).toFixed(2)}x  (goal <= 1.20x)`,
  );
  console.log(
    `  navigation -> badges drawn, ${COMMENTS} threads     ${ms(median(badges)).padStart(9)}  (runs ${badges.map(ms).join(", ")})`,
  );
} finally {
  await context.close();
  try {
    if (server.pid) process.kill(-server.pid, "SIGTERM");
  } catch {
    // already gone
  }
  rmSync(profileDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
}
