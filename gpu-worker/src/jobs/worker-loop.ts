/**
 * The worker's life, top to bottom: load the model once, then forever
 *   claim a job → run attribution, heartbeating phase and progress → upload the graph → claim the next.
 * The lease is renewed every third of its length; when the app says the job is gone (cancelled, or
 * re-claimed after a lost lease) the run stops at its next progress report. On SIGTERM the worker stops
 * claiming, gives a running job back to the queue, and exits. The app unreachable: retry with backoff.
 */
import type { Logger } from "@circuitboard/shared/log";
import { DEFAULT_ATTRIBUTE_OPTIONS } from "../engine/attribution/attribute";
import { generateGraph, graphFileText, type LoadedWorkerModel } from "../generate-graph";
import { type AppClient, JobLostError, type AnnouncedModel, type ClaimedJob } from "./app-client";

export interface WorkerLoopOptions {
  client: AppClient;
  loaded: LoadedWorkerModel;
  model: AnnouncedModel;
  idlePollMs: number;
  /** Each job's lines carry `jobId`, `model`, `attempt` and, while it runs, `phase`. */
  logger: Logger;
  /** Resolves when the worker should stop (SIGTERM); the loop then returns. */
  stopped: Promise<void>;
}

const sleep = (ms: number, stop: Promise<void>) => Promise.race([new Promise((r) => setTimeout(r, ms)), stop]);

export async function runWorkerLoop(o: WorkerLoopOptions): Promise<void> {
  let isStopping = false;
  void o.stopped.then(() => (isStopping = true));
  let backoffMs = o.idlePollMs;
  o.logger.info({ model: o.model.id }, "serving");
  while (!isStopping) {
    let job: ClaimedJob | null;
    try {
      job = await o.client.claim([o.model]);
      backoffMs = o.idlePollMs;
    } catch (e) {
      o.logger.warn({ err: e, retryInMs: backoffMs }, "claim failed; retrying");
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
  o.logger.info("worker stopped");
}

async function runJob(o: WorkerLoopOptions, job: ClaimedJob, isStopping: () => boolean): Promise<void> {
  const started = performance.now();
  const log = o.logger.child({ jobId: job.id, model: o.model.id, attempt: job.attempt });
  log.info({ prompt: job.payload.prompt.slice(0, 60) }, "job claimed");
  const state = { phase: "starting", progress: 0, isLost: false };
  const beat = setInterval(
    () => {
      o.client.heartbeat(job.id, state.phase, state.progress).catch((e: unknown) => {
        if (e instanceof JobLostError) state.isLost = true;
        else log.warn({ err: e, phase: state.phase }, "heartbeat failed"); // the lease tolerates a missed beat or two
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
        if (phase !== state.phase) log.info({ phase }, "phase started");
        state.phase = phase;
        state.progress = total > 0 ? Math.min(0.99, done / total) : 0;
      },
      log: (line) => log.info({ phase: state.phase }, line),
    });
    state.phase = "uploading";
    log.info({ phase: state.phase }, "phase started");
    const { graphId } = await o.client.complete(job.id, graphFileText(file));
    log.info({ graphId, seconds: Number(((performance.now() - started) / 1000).toFixed(2)) }, "job done");
  } catch (e) {
    if (e instanceof JobLostError) {
      log.info({ reason: e.message }, "job no longer ours; dropped");
      return;
    }
    const message = (e as Error).message;
    // Bad input (a prompt the model cannot take) will fail again anywhere; everything else may not.
    const isRetryable = !/prompt|token|too long|context/i.test(message) || isStopping();
    log.error({ err: e, phase: state.phase, isRetryable }, "job failed");
    // The message the app shows says where it failed: the model and the phase.
    await o.client
      .fail(job.id, `${o.model.id}, phase ${state.phase}: ${message}`, isRetryable)
      .catch((err: unknown) => log.error({ err }, "could not report the failure"));
  } finally {
    clearInterval(beat);
  }
}
