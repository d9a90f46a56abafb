/**
 * The queue as workers see it (over HTTP, authenticated at the route by a worker token):
 *   claim (announce models and kinds, take a lease) → progress (live, throttled) + heartbeat (renew the
 *   lease) → complete | fail.
 * Claims take the highest priority first, then the oldest. A job whose lease expires is claimable again, up
 * to maxAttempts; after that it fails with LEASE_LOST. Claiming is a compare-and-set on (status,
 * leaseExpiresAt), so two workers never hold the same job, on SQLite and PostgreSQL alike. A failure is
 * retried or not by its typed code (JOB_ERROR_CODES), never by its message.
 */
import { z } from "zod";
import type { Db } from "../db/client";
import { env } from "../env";
import { AppError } from "../errors";
import type { BlobStore } from "../storage/blob-store";
import { JOB_ERROR_CODES, type JobErrorCode } from "@circuitboard/shared/jobs/job-errors";
import { ZJobKindSchema, ZJobPayloadSchema, type JobKind } from "@circuitboard/shared/job-payload";
import type { TJobProgress } from "@circuitboard/shared/jobs/job-progress";
import { notifyJobFinished, waitForEnqueue } from "./job-events";
import { publishJobUpdate } from "./job-live";
import { storeJobResult, type ResultColumns } from "./job-kinds";
import { recordWorkerSeen, type WorkerIdentity } from "./workers";

export const leaseSeconds = () => env().JOB_LEASE_SECONDS;

export const ZWorkerIdSchema = z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/, "workerId: 1-100 letters, digits, . _ : -");
export const ZAnnouncedModelSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9._/-]{1,120}$/, "models[].id: letters, digits, . _ / -"),
  description: z.string().max(500).default(""),
  nLayers: z.int().min(0).max(1000).default(0),
  maxTokens: z.int().min(0).max(1_000_000).default(0),
  tokenizerHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/, "models[].tokenizerHash: a SHA-256 in hex")
    .optional(),
  bosTokenId: z.int().min(0).nullable().optional(),
});
export type TAnnouncedModel = z.infer<typeof ZAnnouncedModelSchema>;

export const ZClaimRequestSchema = z.object({
  workerId: ZWorkerIdSchema,
  models: z.array(ZAnnouncedModelSchema).min(1, "models: at least one").max(50),
  /** The kinds this worker (or this lane of it) runs; absent: attribute only (workers before job kinds). */
  kinds: z.array(ZJobKindSchema).min(1, "kinds: at least one").max(20).default(["attribute"]),
  device: z.string().max(80).default(""),
  /** Long poll: wait up to this long for a job before answering 204. */
  waitMs: z.int().min(0).max(30_000, "waitMs: at most 30000").default(0),
  /** "preview": a side lane that answers previews while the main lane runs a long job. */
  lane: z.enum(["main", "preview"]).default("main"),
});
export type TClaimRequest = z.infer<typeof ZClaimRequestSchema>;

export async function announceModels(db: Db, models: TAnnouncedModel[]) {
  const now = new Date();
  for (const m of models) {
    const data = {
      description: m.description,
      nLayers: m.nLayers,
      maxTokens: m.maxTokens,
      ...(m.tokenizerHash ? { tokenizerHash: m.tokenizerHash } : {}),
      ...(m.bosTokenId !== undefined ? { bosTokenId: m.bosTokenId } : {}),
      lastSeenAt: now,
    };
    await db.workerModel.upsert({ where: { id: m.id }, create: { id: m.id, ...data }, update: data });
  }
}

const leaseUntil = (now: Date) => new Date(now.getTime() + leaseSeconds() * 1000);

export type ClaimedJob = NonNullable<Awaited<ReturnType<typeof claimJob>>>;

/** Gives the best claimable job (priority, then age) for one of `modelIds` and `kinds`, or null. */
export async function claimJob(
  db: Db,
  { workerId, modelIds, kinds = ["attribute"] }: { workerId: string; modelIds: string[]; kinds?: JobKind[] },
) {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const now = new Date();
    await failExhaustedJobs(db, now);
    const candidate = await db.job.findFirst({
      where: {
        modelId: { in: modelIds },
        kind: { in: kinds },
        OR: [{ status: "queued" }, { status: "running", leaseExpiresAt: { lt: now } }],
      },
      orderBy: [{ priority: "desc" }, { createdAt: "asc" }, { id: "asc" }],
    });
    if (!candidate) return null;
    const won = await db.job.updateMany({
      where: { id: candidate.id, status: candidate.status, leaseExpiresAt: candidate.leaseExpiresAt },
      data: {
        status: "running",
        workerId,
        leaseExpiresAt: leaseUntil(now),
        attempts: { increment: 1 },
        startedAt: candidate.startedAt ?? now,
        phase: "claimed",
        progress: 0,
        progressDone: 0,
        progressTotal: 0,
        etaSeconds: null,
        phaseLog: "[]",
      },
    });
    if (won.count === 1) {
      return {
        id: candidate.id,
        kind: candidate.kind as JobKind,
        modelId: candidate.modelId,
        attempt: candidate.attempts + 1,
        leaseSeconds: leaseSeconds(),
        payload: ZJobPayloadSchema.parse(JSON.parse(candidate.payload)),
      };
    }
    // Another worker took it between our read and write: look again.
  }
  return null;
}

/**
 * The claim route's whole job: record the worker, announce its models, and claim, waiting up to waitMs
 * for work (woken at once by an enqueue on this instance, else re-reading every 250 ms).
 */
export async function claimForWorker(db: Db, identity: WorkerIdentity, r: TClaimRequest, signal?: AbortSignal) {
  await announceModels(db, r.models);
  const modelIds = r.models.map((m) => m.id);
  const deadline = Date.now() + r.waitMs;
  const seen = { workerId: r.workerId, device: r.device, modelIds, kinds: r.kinds };
  // The main lane claims only when idle; the preview lane runs beside a job and leaves currentJobId alone.
  if (r.lane === "main") await recordWorkerSeen(db, identity, { ...seen, currentJobId: null });
  else await recordWorkerSeen(db, identity, seen);
  for (;;) {
    const job = await claimJob(db, { workerId: r.workerId, modelIds, kinds: r.kinds });
    if (job && r.lane === "main") await recordWorkerSeen(db, identity, { ...seen, currentJobId: job.id });
    if (job || Date.now() >= deadline || signal?.aborted) return job; // aborted: the worker hung up
    await waitForEnqueue(Math.min(250, deadline - Date.now()));
  }
}

/** Running jobs whose lease ran out on their last allowed attempt will not be retried: mark them failed. */
async function failExhaustedJobs(db: Db, now: Date) {
  const lost = await db.job.findMany({
    where: { status: "running", leaseExpiresAt: { lt: now } },
    select: { id: true, attempts: true, maxAttempts: true },
  });
  for (const j of lost.filter((j) => j.attempts >= j.maxAttempts)) {
    const updated = await db.job.updateMany({
      where: { id: j.id, status: "running", leaseExpiresAt: { lt: now } },
      data: {
        status: "failed",
        error: `The worker stopped responding on all ${j.maxAttempts} attempts`,
        errorCode: "LEASE_LOST",
        finishedAt: now,
        leaseExpiresAt: null,
      },
    });
    if (updated.count === 1) notifyJobFinished(j.id);
  }
}

export async function heldJob(db: Db, jobId: string, workerId: string) {
  const job = await db.job.findUnique({ where: { id: jobId } });
  if (!job) throw new AppError("NOT_FOUND", "jobId: no such job");
  if (job.status !== "running" || job.workerId !== workerId) {
    // Cancelled, or re-claimed by another worker after this one's lease ran out: stop working on it.
    throw new AppError("JOB_NOT_HELD", `This worker no longer holds job ${jobId} (status ${job.status})`);
  }
  return job;
}

/** Renews the lease; JOB_NOT_HELD (409) when the job was cancelled or re-assigned. */
export async function heartbeatJob(db: Db, o: { jobId: string; workerId: string }) {
  const updated = await db.job.updateMany({
    where: { id: o.jobId, status: "running", workerId: o.workerId },
    data: { leaseExpiresAt: leaseUntil(new Date()) },
  });
  if (updated.count !== 1) await heldJob(db, o.jobId, o.workerId); // throws the precise reason
  await db.worker.updateMany({ where: { id: o.workerId }, data: { lastSeenAt: new Date() } });
  return { leaseSeconds: leaseSeconds() };
}

/** The live progress channel: phase, rows, fraction, time left. Also proves the worker alive (renews the lease). */
export async function reportProgress(db: Db, o: { jobId: string; workerId: string } & TJobProgress) {
  const updated = await db.job.updateMany({
    where: { id: o.jobId, status: "running", workerId: o.workerId },
    data: {
      phase: o.phase,
      progress: Math.min(1, Math.max(0, o.progress)),
      progressDone: o.done,
      progressTotal: o.total,
      etaSeconds: o.etaSeconds,
      ...(o.phases && o.phases.length > 0 ? { phaseLog: JSON.stringify(o.phases) } : {}),
      leaseExpiresAt: leaseUntil(new Date()),
    },
  });
  if (updated.count !== 1) await heldJob(db, o.jobId, o.workerId);
  await publishJobUpdate(db, o.jobId, "job.progress", { phase: o.phase, progress: o.progress });
  return { leaseSeconds: leaseSeconds() };
}

/**
 * Stores the result (by kind, job-kinds.ts) and marks the job done, exactly once: the job is claimed
 * (running, held by this worker → done) in the same transaction that writes the result's row. A job
 * cancelled, or whose lease passed to another worker, while the upload was processed leaves no result
 * (the transaction rolls back and stored bytes are removed), and two uploads for one job leave one.
 */
export async function completeJob(
  db: Db,
  store: BlobStore,
  o: { jobId: string; workerId: string; body: Uint8Array; maxBytes: number },
) {
  const job = await heldJob(db, o.jobId, o.workerId);
  const markDone = async (tx: Db, columns: ResultColumns) => {
    const claimed = await tx.job.updateMany({
      where: { id: job.id, status: "running", workerId: o.workerId },
      data: {
        status: "done",
        phase: "done",
        progress: 1,
        etaSeconds: 0,
        finishedAt: new Date(),
        leaseExpiresAt: null,
        ...columns,
      },
    });
    if (claimed.count !== 1) {
      throw new AppError("JOB_NOT_HELD", `This worker no longer holds job ${job.id} (cancelled or re-assigned)`);
    }
  };
  let columns: ResultColumns;
  try {
    columns = await storeJobResult(db, store, job, o.body, o.maxBytes, markDone);
  } catch (e) {
    if (e instanceof AppError && e.appCode !== "JOB_NOT_HELD" && e.appCode !== "BUSY") {
      // The upload itself is unacceptable (not a readable graph, too large): the job failed.
      await db.job.updateMany({
        where: { id: job.id, status: "running", workerId: o.workerId },
        data: {
          status: "failed",
          error: e.message.slice(0, 2000),
          errorCode: "RESULT_REJECTED",
          finishedAt: new Date(),
          leaseExpiresAt: null,
        },
      });
      notifyJobFinished(job.id);
    }
    throw e;
  }
  await db.worker.updateMany({ where: { id: o.workerId, currentJobId: job.id }, data: { currentJobId: null } });
  notifyJobFinished(job.id);
  await publishJobUpdate(db, job.id, "job.finished", { status: "done" });
  return { ...(columns.graphId ? { graphId: columns.graphId } : {}), status: "done" as const };
}

export async function failJob(db: Db, o: { jobId: string; workerId: string; code: JobErrorCode; error: string }) {
  const job = await heldJob(db, o.jobId, o.workerId);
  const rule = JOB_ERROR_CODES[o.code];
  const attempts = rule.countsAttempt ? job.attempts : job.attempts - 1;
  const willRetry = rule.isRetryable && attempts < job.maxAttempts;
  const error = o.error.slice(0, 2000);
  await db.job.updateMany({
    where: { id: job.id, status: "running", workerId: o.workerId },
    data: willRetry
      ? { status: "queued", workerId: null, leaseExpiresAt: null, attempts, error, errorCode: o.code }
      : { status: "failed", error, errorCode: o.code, finishedAt: new Date(), leaseExpiresAt: null, attempts },
  });
  await db.worker.updateMany({ where: { id: o.workerId, currentJobId: job.id }, data: { currentJobId: null } });
  if (!willRetry) notifyJobFinished(job.id);
  await publishJobUpdate(db, job.id, willRetry ? "job.progress" : "job.finished", {
    status: willRetry ? "queued" : "failed",
  });
  return { status: willRetry ? ("queued" as const) : ("failed" as const) };
}
