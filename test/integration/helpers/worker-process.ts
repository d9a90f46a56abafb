/**
 * A real GPU worker process (`worker serve` on the demo model, CPU) against a test worker API: one node
 * process (no npx in between), so SIGKILL and SIGTERM reach the worker itself. Its stderr is kept for
 * assertions on what it reported.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const DEMO_MODEL_DIR = `${ROOT}gpu-worker/assets/circuitboard-demo-gpt2`;
export const DEMO_TRANSCODERS_DIR = `${ROOT}gpu-worker/assets/circuitboard-demo-gpt2-transcoders`;

export interface WorkerProcess {
  id: string;
  child: ChildProcess;
  log: () => string;
  exited: Promise<number | null>;
  /** Resolves once a line of stderr matches. */
  waitForLog(re: RegExp, timeoutMs?: number): Promise<string>;
}

export function startWorkerProcess(o: {
  id: string;
  url: string;
  token: string;
  modelId: string;
  graceSeconds?: number;
  extraArgs?: string[];
}): WorkerProcess {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "gpu-worker/src/cli.ts",
      "serve",
      "--model",
      DEMO_MODEL_DIR,
      "--transcoders",
      DEMO_TRANSCODERS_DIR,
      "--model-id",
      o.modelId,
      "--device",
      "cpu",
      "--poll-ms",
      "200",
      "--grace-seconds",
      String(o.graceSeconds ?? 30),
      ...(o.extraArgs ?? []),
    ],
    {
      cwd: ROOT,
      env: { ...process.env, CIRCUITBOARD_URL: o.url, WORKER_TOKEN: o.token, WORKER_ID: o.id },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let text = "";
  const waiters: { re: RegExp; resolve: (line: string) => void }[] = [];
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    text += chunk;
    for (const w of [...waiters]) {
      const line = text.split("\n").find((l) => w.re.test(l));
      if (line) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    id: o.id,
    child,
    log: () => text,
    exited,
    waitForLog: (re, timeoutMs = 60_000) => {
      const line = text.split("\n").find((l) => re.test(l));
      if (line) return Promise.resolve(line);
      return new Promise((resolve, reject) => {
        const t = setTimeout(
          () => reject(new Error(`worker ${o.id}: no log line matching ${re} in:\n${text}`)),
          timeoutMs,
        );
        waiters.push({ re, resolve: (l) => (clearTimeout(t), resolve(l)) });
      });
    },
  };
}

/** Polls `check` until it returns a value (not undefined/false), or fails after timeoutMs. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 60_000,
  what = "condition",
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
