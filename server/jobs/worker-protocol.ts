/**
 * The queue as workers see it (over HTTP, authenticated by the worker token at the route):
 *   announceModels → claimJob (lease) → heartbeatJob (renew lease, report progress) → completeJob | failJob.
 * A job whose lease expires is claimable again, up to maxAttempts; after that it fails with the reason.
 * Claiming is a compare-and-set on (status, leaseExpiresAt), so two workers never hold the same job,
 * on SQLite and PostgreSQL alike.
 */
import { z } from "zod";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { importGraph } from "../services/graphs";
import type { BlobStore } from "../storage/blob-store";
import { ZAttributePayloadSchema } from "@circuitboard/shared/job-payload";

export const LEASE_SECONDS = 60;

export const ZWorkerIdSchema = z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/, "workerId: 1-100 letters, digits, . _ : -");
export const ZAnnouncedModelSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9._/-]{1,120}$/, "models[].id: letters, digits, . _ / -"),
  description: z.string().max(500).default(""),
  nLayers: z.int().min(0).max(1000).default(0),
  maxTokens: z.int().min(0).max(1_000_000).default(0),
});

export async function announceModels(db: Db, models: z.infer<typeof ZAnnouncedModelSchema>[]) {
  const now = new Date();
  for (const m of models) {
    await db.workerModel.upsert({
      where: { id: m.id },
      create: { ...m, lastSeenAt: now },
      update: { ...m, lastSeenAt: now },
    });
  }
}

const leaseUntil = (now: Date) => new Date(now.getTime() + LEASE_SECONDS * 1000);

/** Gives the oldest claimable job for one of `modelIds` to this worker, or null when there is none. */
export async function claimJob(db: Db, { workerId, modelIds }: { workerId: string; modelIds: string[] }) {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const now = new Date();
    await failExhaustedJobs(db, now);
    const candidate = await db.job.findFirst({
      where: {
        modelId: { in: modelIds },
        OR: [{ status: "queued" }, { status: "running", leaseExpiresAt: { lt: now } }],
      },
      orderBy: { createdAt: "asc" },
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
      },
    });
    if (won.count === 1) {
      return {
        id: candidate.id,
        modelId: candidate.modelId,
        attempt: candidate.attempts + 1,
        leaseSeconds: LEASE_SECONDS,
        payload: ZAttributePayloadSchema.parse(JSON.parse(candidate.payload)),
      };
    }
    // Another worker took it between our read and write: look again.
  }
  return null;
}

/** Running jobs whose lease ran out on their last allowed attempt will not be retried: mark them failed. */
async function failExhaustedJobs(db: Db, now: Date) {
  const lost = await db.job.findMany({
    where: { status: "running", leaseExpiresAt: { lt: now } },
    select: { id: true, attempts: true, maxAttempts: true },
  });
  for (const j of lost.filter((j) => j.attempts >= j.maxAttempts)) {
    await db.job.updateMany({
      where: { id: j.id, status: "running", leaseExpiresAt: { lt: now } },
      data: {
        status: "failed",
        error: `The worker stopped responding on all ${j.maxAttempts} attempts`,
        finishedAt: now,
        leaseExpiresAt: null,
      },
    });
  }
}

async function heldJob(db: Db, jobId: string, workerId: string) {
  const job = await db.job.findUnique({ where: { id: jobId } });
  if (!job) throw new AppError("NOT_FOUND", "jobId: no such job");
  if (job.status !== "running" || job.workerId !== workerId) {
    // Cancelled, or re-claimed by another worker after this one's lease ran out: stop working on it.
    throw new AppError("JOB_NOT_HELD", `This worker no longer holds job ${jobId} (status ${job.status})`);
  }
  return job;
}

export async function heartbeatJob(db: Db, o: { jobId: string; workerId: string; phase: string; progress: number }) {
  await heldJob(db, o.jobId, o.workerId);
  const updated = await db.job.updateMany({
    where: { id: o.jobId, status: "running", workerId: o.workerId },
    data: {
      phase: o.phase.slice(0, 80),
      progress: Math.min(1, Math.max(0, o.progress)),
      leaseExpiresAt: leaseUntil(new Date()),
    },
  });
  if (updated.count !== 1) throw new AppError("JOB_NOT_HELD", `This worker no longer holds job ${o.jobId}`);
  return { leaseSeconds: LEASE_SECONDS };
}

/**
 * Stores the finished graph (validated like any import) and marks the job done, exactly once: the job is
 * claimed (running, held by this worker → done) in the same transaction that writes the Graph row. A job
 * cancelled, or whose lease passed to another worker, while the upload was parsed leaves no graph (the
 * transaction rolls back and the stored body is removed), and two uploads for one job leave one graph.
 */
export async function completeJob(
  db: Db,
  store: BlobStore,
  o: { jobId: string; workerId: string; body: Uint8Array; maxBytes: number },
) {
  const job = await heldJob(db, o.jobId, o.workerId);
  const payload = ZAttributePayloadSchema.parse(JSON.parse(job.payload));
  const [workspace, creator] = await Promise.all([
    db.workspace.findUniqueOrThrow({ where: { id: job.workspaceId } }),
    db.user.findUniqueOrThrow({ where: { id: job.createdById } }),
  ]);
  let graph;
  try {
    // As the user who asked: the upload passes the same authorization and validation as theirs would.
    graph = await importGraph(db, store, {
      actor: creator,
      slug: workspace.slug,
      body: o.body,
      maxBytes: o.maxBytes,
      source: "generated",
      announced: { modelId: job.modelId },
      ...(payload.title ? { title: payload.title } : {}),
      withinTransaction: async (tx, graphId) => {
        const claimed = await tx.job.updateMany({
          where: { id: job.id, status: "running", workerId: o.workerId },
          data: { status: "done", graphId, phase: "done", progress: 1, finishedAt: new Date(), leaseExpiresAt: null },
        });
        if (claimed.count !== 1) {
          throw new AppError("JOB_NOT_HELD", `This worker no longer holds job ${job.id} (cancelled or re-assigned)`);
        }
      },
    });
  } catch (e) {
    if (e instanceof AppError && e.appCode !== "JOB_NOT_HELD" && e.appCode !== "BUSY") {
      // The upload itself is unacceptable (not a readable graph, too large): the job failed.
      await db.job.updateMany({
        where: { id: job.id, status: "running", workerId: o.workerId },
        data: { status: "failed", error: e.message, finishedAt: new Date(), leaseExpiresAt: null },
      });
    }
    throw e;
  }
  return { graphId: graph.id };
}

export async function failJob(db: Db, o: { jobId: string; workerId: string; error: string; isRetryable: boolean }) {
  const job = await heldJob(db, o.jobId, o.workerId);
  const willRetry = o.isRetryable && job.attempts < job.maxAttempts;
  await db.job.updateMany({
    where: { id: job.id, status: "running", workerId: o.workerId },
    data: willRetry
      ? { status: "queued", workerId: null, leaseExpiresAt: null, error: o.error.slice(0, 2000) }
      : { status: "failed", error: o.error.slice(0, 2000), finishedAt: new Date(), leaseExpiresAt: null },
  });
  return { status: willRetry ? "queued" : "failed" };
}
