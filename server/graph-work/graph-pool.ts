/**
 * The bounded pool of worker threads that parses and exports whole graph files, so no request ever
 * blocks the event loop on one (piscina). At most GRAPH_WORKERS tasks run at once and at most
 * GRAPH_QUEUE_LIMIT wait; a task beyond that is refused at once with BUSY (503 + Retry-After) rather
 * than queued without bound: a queue of 150 MB bodies is memory, and a client can retry.
 *
 * The threads load server/graph-work/graph-task.ts through tsx (a dependency), from the working
 * directory: the app, the CLI and the tests all run from the repository root.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Piscina } from "piscina";
import { env } from "../env";
import { AppError } from "../errors";
import type { TGraphTask, TGraphTaskResult } from "./graph-task";

const TASK_FILE = join(process.cwd(), "server", "graph-work", "graph-task.ts");
/** A graph task takes seconds; retrying after a few leaves room for the queue to move. */
const RETRY_AFTER_SECONDS = 5;

export interface GraphPoolOptions {
  threads: number;
  queueLimit: number;
}

let pool: Piscina | undefined;
let poolOptions: GraphPoolOptions | undefined;

function getPool(): { pool: Piscina; options: GraphPoolOptions } {
  if (!pool || !poolOptions) {
    const e = env();
    return configureGraphPool({ threads: e.GRAPH_WORKERS, queueLimit: e.GRAPH_QUEUE_LIMIT });
  }
  return { pool, options: poolOptions };
}

/** (Re)creates the pool with these bounds (the configuration's by default; tests choose their own). */
export function configureGraphPool(options: GraphPoolOptions): { pool: Piscina; options: GraphPoolOptions } {
  void pool?.destroy();
  if (!existsSync(TASK_FILE)) throw new Error(`graph pool: ${TASK_FILE} not found (run from the repository root)`);
  poolOptions = options;
  pool = new Piscina({
    filename: TASK_FILE,
    minThreads: 0,
    maxThreads: options.threads,
    maxQueue: options.queueLimit,
    concurrentTasksPerWorker: 1,
    idleTimeout: 60_000, // a thread's parser state is large; give it back when idle
    execArgv: ["--import", "tsx"],
  });
  return { pool, options };
}

function transferList(task: TGraphTask): ArrayBuffer[] {
  if (task.kind !== "export") return []; // an upload's body stays with the caller (it stores it next)
  const bytes = task.stored;
  // Only a buffer that is exactly this view can move (a view into a shared slab is copied instead).
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer
    ? [bytes.buffer]
    : [];
}

/**
 * Runs a task on a worker thread. An export's stored bytes are moved there (detached here); an upload's
 * body is copied. Throws BUSY when the pool and its queue are full.
 */
export async function runInGraphPool(task: TGraphTask): Promise<TGraphTaskResult> {
  const { pool: p } = getPool();
  try {
    return (await p.run(task, { transferList: transferList(task) })) as TGraphTaskResult;
  } catch (e) {
    // piscina refuses at once when every thread is busy and maxQueue tasks wait: that is BUSY, not a bug.
    if (e instanceof Error && /queue is at limit|no task queue available/i.test(e.message)) throw busy();
    throw e;
  }
}

function busy(): AppError {
  return new AppError("BUSY", "The server is busy with other graph files; try again in a few seconds", {
    retryAfterSeconds: RETRY_AFTER_SECONDS,
  });
}

/** Stops the threads (tests, shutdown). */
export async function closeGraphPool(): Promise<void> {
  const p = pool;
  pool = undefined;
  poolOptions = undefined;
  await p?.destroy();
}
