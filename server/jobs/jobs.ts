/**
 * Jobs as users see them: enqueue (any kind), watch, list with filters, cancel. Authorization through
 * server/authz like every other service; system jobs (no workspace) are visible to nobody here. The
 * worker's side of the queue is worker-protocol.ts; what the app does with each kind's result is job-kinds.ts.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { authorizeWorkspace } from "../authz/workspace-access";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import type { Actor } from "../authz/actor";
import {
  JOB_KINDS,
  JOB_STATUSES,
  ZJobKindSchema,
  ZJobPayloadSchema,
  type JobKind,
  type JobStatus,
  type TAttributeParams,
  type TJobPayload,
} from "@circuitboard/shared/job-payload";
import { notifyJobEnqueued } from "./job-events";
import { publishJobUpdate } from "./job-live";
import { assertJobQuota } from "./job-quotas";

/** A model counts as available while some worker has announced it within this window. */
export const MODEL_FRESH_MS = 10 * 60_000;

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

export async function assertModelServed(db: Db, modelId: string) {
  const model = await db.workerModel.findUnique({ where: { id: modelId } });
  if (!model || model.lastSeenAt.getTime() < Date.now() - MODEL_FRESH_MS) {
    throw new AppError("BAD_REQUEST", `modelId: no worker currently serves "${modelId}"`);
  }
  return model;
}

export interface EnqueueJobOptions {
  /** A caller-chosen id (a system job made idempotent by its id); a random one otherwise. */
  id?: string;
  payload: TJobPayload;
  modelId: string;
  /** Both null for a system job: it belongs to no workspace and counts in no quota. */
  workspaceId: string | null;
  createdById: string | null;
  /** Defaults to the kind's priority (JOB_KINDS); higher is claimed first. */
  priority?: number;
  maxAttempts?: number;
  /** Check the per-user and per-workspace quotas (job-quotas.ts) atomically with the insert. */
  isQuotaCounted?: boolean;
}

/**
 * The one way a job enters the queue: the payload is validated against its kind's schema here, so a
 * worker never claims a payload the app did not check. Callers authorize first (or enqueue a system job).
 */
export async function enqueueJob(db: Db, o: EnqueueJobOptions): Promise<{ id: string; status: JobStatus }> {
  const payload = ZJobPayloadSchema.parse(o.payload);
  const isSystem = o.workspaceId === null && o.createdById === null;
  if (!isSystem && (o.workspaceId === null || o.createdById === null)) {
    throw new Error("enqueueJob: a user's job needs both workspaceId and createdById (a system job neither)");
  }
  const data = {
    id: o.id ?? newJobId(),
    workspaceId: o.workspaceId,
    createdById: o.createdById,
    isSystem,
    kind: payload.kind,
    modelId: o.modelId,
    priority: o.priority ?? JOB_KINDS[payload.kind].priority,
    ...(o.maxAttempts ? { maxAttempts: o.maxAttempts } : {}),
    payload: JSON.stringify(payload),
  };
  const job =
    o.isQuotaCounted && !isSystem
      ? // Count and insert under locks on the user's and the workspace's rows (always in that order), so
        // parallel requests cannot all see "4 active" and each add one. The no-op UPDATEs take PostgreSQL's
        // row locks (held until commit: a waiting transaction's count then sees the winner's job) and
        // SQLite's write lock.
        await db.$transaction(async (tx) => {
          await tx.$executeRaw`UPDATE "User" SET "id" = "id" WHERE "id" = ${o.createdById}`;
          await tx.$executeRaw`UPDATE "Workspace" SET "id" = "id" WHERE "id" = ${o.workspaceId}`;
          await assertJobQuota(tx as Db, { userId: o.createdById!, workspaceId: o.workspaceId! });
          return tx.job.create({ data });
        })
      : await db.job.create({ data });
  notifyJobEnqueued();
  return { id: job.id, status: job.status as JobStatus };
}

/** The title a generated graph gets when the user gives none: the prompt itself. */
export function defaultTitleOf(prompt: string): string {
  const oneLine = prompt.replace(/\s+/g, " ").trim();
  return oneLine.length <= 200 ? oneLine : `${oneLine.slice(0, 199)}…`;
}

export async function enqueueAttributionJob(
  db: Db,
  o: { actor: Actor; slug: string; modelId: string; prompt: string; title?: string; params: TAttributeParams },
) {
  const { workspace } = await authorizeWorkspace(db, o.actor.id, { slug: o.slug }, "graph.create");
  await assertModelServed(db, o.modelId);
  return enqueueJob(db, {
    isQuotaCounted: true,
    payload: {
      v: 1,
      kind: "attribute",
      prompt: o.prompt,
      title: o.title?.trim() || defaultTitleOf(o.prompt),
      params: o.params,
    },
    modelId: o.modelId,
    workspaceId: workspace.id,
    createdById: o.actor.id,
  });
}

type JobRow = Awaited<ReturnType<Db["job"]["findUniqueOrThrow"]>>;

function promptOf(payload: string): string {
  try {
    const p = ZJobPayloadSchema.safeParse(JSON.parse(payload));
    return p.success && "prompt" in p.data ? p.data.prompt : "";
  } catch {
    return "";
  }
}

function parsePhaseLog(text: string): [string, number][] {
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? (v.filter((e) => Array.isArray(e) && e.length === 2) as [string, number][]) : [];
  } catch {
    return [];
  }
}

export function presentJob(j: JobRow) {
  return {
    id: j.id,
    kind: j.kind as JobKind,
    modelId: j.modelId,
    status: j.status as JobStatus,
    priority: j.priority,
    phase: j.phase,
    progress: j.progress,
    progressDone: j.progressDone,
    progressTotal: j.progressTotal,
    etaSeconds: j.etaSeconds,
    phases: parsePhaseLog(j.phaseLog),
    attempts: j.attempts,
    maxAttempts: j.maxAttempts,
    error: j.error,
    errorCode: j.errorCode,
    graphId: j.graphId,
    createdById: j.createdById,
    createdAt: j.createdAt,
    startedAt: j.startedAt,
    finishedAt: j.finishedAt,
    prompt: promptOf(j.payload),
  };
}

async function loadJobFor(db: Db, actor: Actor, jobId: string, action: "graph.list" | "graph.create") {
  const job = await db.job.findUnique({ where: { id: jobId } });
  // System jobs and other workspaces' jobs do not exist for this user.
  if (!job || job.workspaceId === null) throw new AppError("NOT_FOUND", "Job not found");
  await authorizeWorkspace(db, actor.id, { id: job.workspaceId }, action); // NOT_FOUND for outsiders
  return job;
}

export async function getJob(db: Db, { actor, jobId }: { actor: Actor; jobId: string }) {
  return presentJob(await loadJobFor(db, actor, jobId, "graph.list"));
}

export const ZJobListFiltersSchema = z.object({
  status: z.enum(JOB_STATUSES, { error: `status: one of ${JOB_STATUSES.join(", ")}` }).optional(),
  kind: ZJobKindSchema.optional(),
  isMine: z.boolean().optional(),
  modelId: z.string().max(120).optional(),
  /** Jobs created before this one (the last id of the previous page). */
  cursor: z.string().max(64).optional(),
  limit: z.int().min(1, "limit: at least 1").max(200, "limit: at most 200").default(50),
});
export type TJobListFilters = z.infer<typeof ZJobListFiltersSchema>;

/** A workspace's job history, newest first; previews are never listed (they are not kept). */
export async function listJobs(
  db: Db,
  { actor, slug, filters }: { actor: Actor; slug: string; filters?: Partial<TJobListFilters> },
) {
  const { workspace } = await authorizeWorkspace(db, actor.id, { slug }, "graph.list");
  const f = ZJobListFiltersSchema.parse(filters ?? {});
  const before = f.cursor ? await db.job.findUnique({ where: { id: f.cursor }, select: { createdAt: true } }) : null;
  const rows = await db.job.findMany({
    where: {
      workspaceId: workspace.id,
      kind: f.kind ?? { not: "preview" },
      ...(f.status ? { status: f.status } : {}),
      ...(f.isMine ? { createdById: actor.id } : {}),
      ...(f.modelId ? { modelId: f.modelId } : {}),
      ...(before ? { createdAt: { lt: before.createdAt } } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: f.limit,
  });
  return rows.map(presentJob);
}

export async function cancelJob(db: Db, { actor, jobId }: { actor: Actor; jobId: string }) {
  const job = await loadJobFor(db, actor, jobId, "graph.create");
  const updated = await db.job.updateMany({
    where: { id: job.id, status: { in: ["queued", "running"] } },
    data: { status: "cancelled", finishedAt: new Date(), leaseExpiresAt: null },
  });
  if (updated.count === 0) throw new AppError("JOB_FINISHED", `The job is already ${job.status}`);
  await publishJobUpdate(db, job.id, "job.finished", { status: "cancelled" });
  return { id: job.id, status: "cancelled" as const };
}
