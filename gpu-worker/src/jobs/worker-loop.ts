/**
 * The worker's life, top to bottom: load the model once, then run two lanes until told to stop.
 *   main lane:    claim a job (any kind this worker runs) → run it, heartbeating the lease and posting
 *                 progress on its own channel → upload the result → claim the next.
 *   preview lane: long-polls for preview jobs only and answers them between the main lane's batches, so
 *                 a worker busy with a long graph still answers the prompt box.
 * Cancellation: a progress post or heartbeat answered 409 aborts the job's signal; the engine stops at its
 * next batch. SIGTERM: stop claiming, let a running job finish within the grace period, else release it
 * to the queue (SHUTTING_DOWN, which costs the job no attempt). The app unreachable: retry with backoff.
 * A 401 (token wrong or revoked) stops the worker: retrying cannot help.
 */
import type { JobKind } from "@circuitboard/shared/job-payload";
import type { Logger } from "@circuitboard/shared/log";
import type { LoadedWorkerModel } from "../generate-graph";
import {
  type AppClient,
  JobLostError,
  WorkerUnauthorizedError,
  type AnnouncedModel,
  type ClaimedJob,
} from "./app-client";
import { JobError, toJobError } from "./job-error";
import type { JobHandler } from "./job-handler";
import { JOB_HANDLERS, PREVIEW_LANE_KINDS } from "./job-handlers";
import { ProgressReporter } from "./progress-reporter";

export interface WorkerLoopOptions {
  client: AppClient;
  loaded: LoadedWorkerModel;
  model: AnnouncedModel;
  device: string;
  /** The first retry delay when the app is unreachable, and the pause after an empty claim answered at once. */
  idlePollMs: number;
  /** How long a running job may take to finish after SIGTERM before it is released. */
  graceMs: number;
  /** The worker's logger; each job's lines carry `jobId`, `kind`, `model` and `attempt`. */
  logger: Logger;
  /** Resolves when the worker should stop (SIGTERM); the loop then finishes or releases its job and returns. */
  stopped: Promise<void>;
  /** Resolves on a second signal: release the job now. */
  stoppedNow?: Promise<void>;
  handlers?: Partial<Record<JobKind, JobHandler>>;
  /** Run the preview lane (default true). */
  hasPreviewLane?: boolean;
}

class ShutdownError extends Error {}

interface LoopState {
  isStopping: boolean;
  isUnauthorized: boolean;
  running: Set<AbortController>;
}

const sleep = (ms: number, stop: Promise<void>) => Promise.race([new Promise((r) => setTimeout(r, ms)), stop]);

export async function runWorkerLoop(o: WorkerLoopOptions): Promise<void> {
  const log = (line: string) => o.logger.info(line);
  const handlers = o.handlers ?? JOB_HANDLERS;
  const kinds = Object.keys(handlers) as JobKind[];
  const mainKinds = kinds.filter((k) => !PREVIEW_LANE_KINDS.includes(k) || o.hasPreviewLane === false);
  const previewKinds = kinds.filter((k) => PREVIEW_LANE_KINDS.includes(k));
  const state: LoopState = { isStopping: false, isUnauthorized: false, running: new Set() };
  // SIGTERM: a grace period for running jobs to finish, then release them; a second signal releases at once.
  const releaseAll = () => state.running.forEach((abort) => abort.abort(new ShutdownError("worker shutting down")));
  let graceTimer: ReturnType<typeof setTimeout> | undefined;
  void o.stopped.then(() => {
    state.isStopping = true;
    if (state.running.size > 0) {
      log(`stopping: ${state.running.size} running job(s) get ${Math.round(o.graceMs / 1000)} s to finish`);
      graceTimer = setTimeout(releaseAll, o.graceMs);
    }
  });
  void o.stoppedNow?.then(releaseAll);
  log(`worker ${o.client.workerId}: serving ${o.model.id} on ${o.device}, kinds ${kinds.join(", ")}`);

  const stopClaims = new AbortController();
  void o.stopped.then(() => stopClaims.abort());
  const lane = async (name: "main" | "preview", laneKinds: JobKind[], waitMs: number) => {
    let backoffMs = o.idlePollMs;
    while (!state.isStopping && !state.isUnauthorized) {
      let job: ClaimedJob | null;
      const asked = performance.now();
      try {
        job = await o.client.claim(
          { models: [o.model], kinds: laneKinds, device: o.device, waitMs, lane: name },
          stopClaims.signal,
        );
        backoffMs = o.idlePollMs;
      } catch (e) {
        if (state.isStopping || state.isUnauthorized) return;
        if (e instanceof WorkerUnauthorizedError) {
          log(`the app refused this worker's token (${e.message}); stopping`);
          state.isUnauthorized = true;
          stopClaims.abort();
          return;
        }
        log(`${name} claim failed (${(e as Error).message}); retrying in ${Math.round(backoffMs / 1000)} s`);
        await sleep(backoffMs, o.stopped);
        backoffMs = Math.min(backoffMs * 2, 60_000);
        continue;
      }
      // The long poll ended empty: ask again (after a pause if it came back at once, as an app that does not
      // hold claims open would).
      if (!job) {
        if (performance.now() - asked < 100) await sleep(o.idlePollMs, o.stopped);
        continue;
      }
      await runJob(o, handlers, job, state);
    }
  };
  // Both lanes long-poll, so a job enqueued on an idle worker starts within milliseconds, not a poll interval.
  const lanes = [lane("main", mainKinds, 20_000)];
  if (o.hasPreviewLane !== false && previewKinds.length > 0) lanes.push(lane("preview", previewKinds, 20_000));
  await Promise.all(lanes);
  clearTimeout(graceTimer);
  log(state.isUnauthorized ? "worker stopped: unauthorized" : "worker stopped");
  if (state.isUnauthorized) throw new WorkerUnauthorizedError("the app refused this worker's token");
}

async function runJob(
  o: WorkerLoopOptions,
  handlers: Partial<Record<JobKind, JobHandler>>,
  job: ClaimedJob,
  state: LoopState,
): Promise<void> {
  const started = performance.now();
  const handler = handlers[job.kind as JobKind];
  const jobLogger = o.logger.child({ jobId: job.id, kind: job.kind, model: job.modelId, attempt: job.attempt });
  const isQuick = handler?.isQuick === true;
  const log = (line: string) => (isQuick ? jobLogger.debug(line) : jobLogger.info(line));
  const abort = new AbortController();
  state.running.add(abort);
  const reporter = isQuick ? null : new ProgressReporter(o.client, job.id, handler?.phasePlan ?? {}, abort, 500, log);
  const beat = setInterval(
    () => {
      o.client.heartbeat(job.id).catch((e: unknown) => {
        if (e instanceof JobLostError) abort.abort(e);
        else log(`heartbeat failed: ${(e as Error).message}`); // the lease tolerates a missed beat or two
      });
    },
    (job.leaseSeconds * 1000) / 3,
  );
  try {
    if (!handler) throw new JobError("UNSUPPORTED", `kind: this worker does not run "${job.kind}" jobs`);
    const parsed = handler.schema.safeParse(job.payload);
    if (!parsed.success) {
      const i = parsed.error.issues[0]!;
      throw new JobError("UNSUPPORTED", `payload.${i.path.join(".")}: ${i.message} (a newer payload version?)`);
    }
    log(`job ${job.id} ${job.kind} (attempt ${job.attempt})`);
    const output = await handler.run(parsed.data, {
      jobId: job.id,
      modelId: job.modelId,
      uploadPart: (name, body) => o.client.uploadPart(job.id, name, body),
      // The app's default limit when an older app does not say.
      maxPartBytes: job.maxUploadBytes ?? 50 * 1024 * 1024,
      loaded: o.loaded,
      signal: abort.signal,
      report: (phase, done, total) => reporter?.report(phase, done, total),
      log,
    });
    if (abort.signal.aborted) throw abort.signal.reason;
    reporter?.report("uploading", 0, 1);
    await reporter?.close();
    const { graphId } = await o.client.complete(job.id, output.body, output.contentType);
    log(
      `job ${job.id} done in ${((performance.now() - started) / 1000).toFixed(1)} s${graphId ? ` → graph ${graphId}` : ""}`,
    );
  } catch (e) {
    const at = reporter?.current ?? { phase: "running", done: 0, total: 0 };
    const where = `in phase ${at.phase} after ${at.done} of ${at.total} rows`;
    const reason = abort.signal.aborted ? abort.signal.reason : e;
    if (reason instanceof JobLostError) {
      log(`job ${job.id}: stopped ${where}: no longer ours (cancelled or re-assigned)`);
      return;
    }
    if (reason instanceof ShutdownError) {
      log(`job ${job.id}: released ${where}: the worker is shutting down`);
      await o.client
        .fail(job.id, "SHUTTING_DOWN", `released by worker ${o.client.workerId} on shutdown, ${where}`)
        .catch((err: unknown) => log(`could not release the job: ${(err as Error).message}`));
      return;
    }
    if (e instanceof JobLostError) return; // the upload was refused: the job was cancelled meanwhile
    const err = toJobError(e);
    const message = `${err.message} (job ${job.id}, ${job.kind}, model ${job.modelId}, ${where})`;
    jobLogger.error({ err: e, code: err.code, phase: at.phase }, `job ${job.id} failed [${err.code}]: ${message}`);
    await o.client
      .fail(job.id, err.code, message)
      .catch((x: unknown) => log(`could not report the failure: ${(x as Error).message}`));
  } finally {
    clearInterval(beat);
    state.running.delete(abort);
    await reporter?.close();
  }
}
