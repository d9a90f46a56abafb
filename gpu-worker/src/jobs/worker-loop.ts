/**
 * The worker's life, top to bottom: load the model once, then forever
 *   claim a job → run attribution, heartbeating phase and progress → upload the graph → claim the next.
 * The lease is renewed every third of its length; when the app says the job is gone (cancelled, or
 * re-claimed after a lost lease) the run stops at its next progress report. On SIGTERM the worker stops
 * claiming, gives a running job back to the queue, and exits. The app unreachable: retry with backoff.
 */
import { DEFAULT_ATTRIBUTE_OPTIONS } from "../engine/attribution/attribute";
import { generateGraph, graphFileText, type LoadedWorkerModel } from "../generate-graph";
import { AppClient, JobLostError, type AnnouncedModel, type ClaimedJob } from "./app-client";

export interface WorkerLoopOptions {
  client: AppClient;
  loaded: LoadedWorkerModel;
  model: AnnouncedModel;
  idlePollMs: number;
  log: (line: string) => void;
  /** Resolves when the worker should stop (SIGTERM); the loop then returns. */
  stopped: Promise<void>;
}

const sleep = (ms: number, stop: Promise<void>) => Promise.race([new Promise((r) => setTimeout(r, ms)), stop]);

export async function runWorkerLoop(o: WorkerLoopOptions): Promise<void> {
  let isStopping = false;
  void o.stopped.then(() => (isStopping = true));
  let backoffMs = o.idlePollMs;
  o.log(`worker ${o.client.workerId}: serving ${o.model.id}`);
  while (!isStopping) {
    let job: ClaimedJob | null;
    try {
      job = await o.client.claim([o.model]);
      backoffMs = o.idlePollMs;
    } catch (e) {
      o.log(`claim failed (${(e as Error).message}); retrying in ${Math.round(backoffMs / 1000)} s`);
      await sleep(backoffMs, o.stopped);
      backoffMs = Math.min(backoffMs * 2, 60_000);
      continue;
    }
    if (!job) {
      await sleep(o.idlePollMs, o.stopped);
      continue;
    }
    await runJob(o, job, () => isStopping);
  }
  o.log("worker stopped");
}

async function runJob(o: WorkerLoopOptions, job: ClaimedJob, isStopping: () => boolean): Promise<void> {
  const started = performance.now();
  o.log(`job ${job.id} (attempt ${job.attempt}): "${job.payload.prompt.slice(0, 60)}"`);
  const state = { phase: "starting", progress: 0, isLost: false };
  const beat = setInterval(
    () => {
      o.client.heartbeat(job.id, state.phase, state.progress).catch((e: unknown) => {
        if (e instanceof JobLostError) state.isLost = true;
        else o.log(`heartbeat failed: ${(e as Error).message}`); // the lease tolerates a missed beat or two
      });
    },
    (job.leaseSeconds * 1000) / 3,
  );
  try {
    const p = job.payload.params;
    const { file } = await generateGraph(o.loaded, job.payload.prompt, {
      ...DEFAULT_ATTRIBUTE_OPTIONS,
      maxNLogits: p.maxNLogits,
      desiredLogitProb: p.desiredLogitProb,
      batchSize: p.batchSize,
      maxFeatureNodes: p.maxFeatureNodes,
      nodeThreshold: p.nodeThreshold,
      edgeThreshold: p.edgeThreshold,
      slug: job.payload.title ?? `job-${job.id}`,
      scan: null,
      onProgress: ({ phase, done, total }) => {
        if (state.isLost) throw new JobLostError(`job ${job.id} was cancelled or re-assigned`);
        if (isStopping()) throw new Error("worker shutting down");
        state.phase = phase;
        state.progress = total > 0 ? Math.min(0.99, done / total) : 0;
      },
      log: () => {},
    });
    state.phase = "uploading";
    const { graphId } = await o.client.complete(job.id, graphFileText(file));
    o.log(`job ${job.id} done in ${((performance.now() - started) / 1000).toFixed(1)} s → graph ${graphId}`);
  } catch (e) {
    if (e instanceof JobLostError) {
      o.log(`job ${job.id}: no longer ours (${e.message}); dropped`);
      return;
    }
    const message = (e as Error).message;
    // Bad input (a prompt the model cannot take) will fail again anywhere; everything else may not.
    const isRetryable = !/prompt|token|too long|context/i.test(message) || isStopping();
    o.log(`job ${job.id} failed (${isRetryable ? "will retry" : "permanent"}): ${message}`);
    await o.client
      .fail(job.id, message, isRetryable)
      .catch((err: unknown) => o.log(`could not report the failure: ${(err as Error).message}`));
  } finally {
    clearInterval(beat);
  }
}
