/**
 * Jobs as users see them: enqueue a graph generation, watch it, cancel it. Authorization through
 * server/authz like every other service. The worker's side of the queue is worker-protocol.ts.
 */
import { randomBytes } from "node:crypto";
import { authorizeWorkspace } from "../authz/workspace-access";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import type { Actor } from "../authz/actor";
import { type JobStatus, type TAttributeParams, ZAttributePayloadSchema } from "@circuitboard/shared/job-payload";

/** A model counts as available while some worker has announced it within this window. */
export const MODEL_FRESH_MS = 10 * 60_000;
/** Queued + running jobs one user may have at once: generation is expensive, the queue is shared. */
export const MAX_ACTIVE_JOBS_PER_USER = 5;

export function newJobId(): string {
  return randomBytes(12).toString("base64url");
}

export async function listAvailableModels(db: Db) {
  const rows = await db.workerModel.findMany({
    where: { lastSeenAt: { gt: new Date(Date.now() - MODEL_FRESH_MS) } },
    orderBy: { id: "asc" },
  });
  return rows.map((r) => ({ id: r.id, description: r.description, nLayers: r.nLayers, maxTokens: r.maxTokens }));
}

export async function enqueueAttributionJob(
  db: Db,
  o: { actor: Actor; slug: string; modelId: string; prompt: string; title?: string; params: TAttributeParams },
) {
  const { workspace } = await authorizeWorkspace(db, o.actor.id, { slug: o.slug }, "graph.create");
  const model = await db.workerModel.findUnique({ where: { id: o.modelId } });
  if (!model || model.lastSeenAt.getTime() < Date.now() - MODEL_FRESH_MS) {
    throw new AppError("BAD_REQUEST", `modelId: no worker currently serves "${o.modelId}"`);
  }
  const payload = ZAttributePayloadSchema.parse({
    v: 1,
    kind: "attribute",
    prompt: o.prompt,
    title: o.title,
    params: o.params,
  });
  // Count and insert under a lock on the user's row, so parallel requests cannot all see "4 active" and
  // each add one (a check-then-write race). The no-op UPDATE takes PostgreSQL's row lock (held until
  // commit; a waiting transaction's count then sees the winner's job) and SQLite's write lock.
  const job = await db.$transaction(async (tx) => {
    await tx.$executeRaw`UPDATE "User" SET "id" = "id" WHERE "id" = ${o.actor.id}`;
    const active = await tx.job.count({ where: { createdById: o.actor.id, status: { in: ["queued", "running"] } } });
    if (active >= MAX_ACTIVE_JOBS_PER_USER) {
      throw new AppError(
        "JOB_QUOTA_EXCEEDED",
        `You already have ${active} graphs being generated; wait for one to finish`,
      );
    }
    return tx.job.create({
      data: {
        id: newJobId(),
        workspaceId: workspace.id,
        createdById: o.actor.id,
        kind: "attribute",
        modelId: model.id,
        payload: JSON.stringify(payload),
      },
    });
  });
  return { id: job.id, status: job.status as JobStatus };
}

function present(j: {
  id: string;
  kind: string;
  modelId: string;
  payload: string;
  status: string;
  phase: string;
  progress: number;
  attempts: number;
  error: string | null;
  graphId: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}) {
  const payload = ZAttributePayloadSchema.safeParse(JSON.parse(j.payload));
  return {
    id: j.id,
    kind: j.kind,
    modelId: j.modelId,
    status: j.status as JobStatus,
    phase: j.phase,
    progress: j.progress,
    attempts: j.attempts,
    error: j.error,
    graphId: j.graphId,
    createdAt: j.createdAt,
    startedAt: j.startedAt,
    finishedAt: j.finishedAt,
    prompt: payload.success ? payload.data.prompt : "",
  };
}

async function loadJobFor(db: Db, actor: Actor, jobId: string, action: "graph.list" | "graph.create") {
  const job = await db.job.findUnique({ where: { id: jobId } });
  if (!job) throw new AppError("NOT_FOUND", "Job not found");
  await authorizeWorkspace(db, actor.id, { id: job.workspaceId }, action); // NOT_FOUND for outsiders
  return job;
}

export async function getJob(db: Db, { actor, jobId }: { actor: Actor; jobId: string }) {
  return present(await loadJobFor(db, actor, jobId, "graph.list"));
}

export async function listJobs(db: Db, { actor, slug }: { actor: Actor; slug: string }) {
  const { workspace } = await authorizeWorkspace(db, actor.id, { slug }, "graph.list");
  const rows = await db.job.findMany({
    where: { workspaceId: workspace.id },
    orderBy: { createdAt: "desc" },
    take: 50,
  });
  return rows.map(present);
}

export async function cancelJob(db: Db, { actor, jobId }: { actor: Actor; jobId: string }) {
  const job = await loadJobFor(db, actor, jobId, "graph.create");
  const updated = await db.job.updateMany({
    where: { id: job.id, status: { in: ["queued", "running"] } },
    data: { status: "cancelled", finishedAt: new Date(), leaseExpiresAt: null },
  });
  if (updated.count === 0) throw new AppError("JOB_FINISHED", `The job is already ${job.status}`);
  return { id: job.id, status: "cancelled" as const };
}
