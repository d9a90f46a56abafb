/**
 * Queues a model's dashboards as a system job (no workspace, no user, no quota; the kind's low priority,
 * so interactive work is claimed first). Idempotent: at most one job per (model, transcoder set, corpus)
 * — its id is derived from the three, so two enqueues that race insert one row — and none when that set
 * is already computed. A failed or cancelled earlier job is queued again.
 */
import { createHash } from "node:crypto";
import type { Db } from "../../db/client";
import { enqueueJob } from "../../jobs/jobs";
import { notifyJobEnqueued } from "../../jobs/job-events";

export interface EnqueueDashboardsOptions {
  modelId: string;
  transcoderSetId: string;
  corpus: string;
  maxWindows?: number | null;
}

export type EnqueueDashboardsOutcome =
  { status: "computed"; setId: string } | { status: "queued" | "running"; jobId: string; isNew: boolean };

export function dashboardsJobId(o: Pick<EnqueueDashboardsOptions, "modelId" | "transcoderSetId" | "corpus">): string {
  const digest = createHash("sha256")
    .update(JSON.stringify([o.modelId, o.transcoderSetId, o.corpus]))
    .digest("base64url");
  return `dash-${digest.slice(0, 32)}`;
}

export async function enqueueDashboardsJob(db: Db, o: EnqueueDashboardsOptions): Promise<EnqueueDashboardsOutcome> {
  const computed = await db.featureDashboardSet.findFirst({
    where: { modelId: o.modelId, transcoderSetId: o.transcoderSetId, corpus: o.corpus, source: "computed" },
    orderBy: { createdAt: "desc" },
  });
  if (computed) return { status: "computed", setId: computed.id };
  const id = dashboardsJobId(o);
  const existing = await db.job.findUnique({ where: { id } });
  if (existing?.status === "queued" || existing?.status === "running")
    return { status: existing.status, jobId: id, isNew: false };
  if (existing) {
    // Done (its set since deleted), failed or cancelled: run it again under the same id.
    const requeued = await db.job.updateMany({
      where: { id, status: existing.status },
      data: {
        status: "queued",
        attempts: 0,
        workerId: null,
        leaseExpiresAt: null,
        error: null,
        errorCode: null,
        finishedAt: null,
      },
    });
    if (requeued.count === 1) notifyJobEnqueued();
    return { status: "queued", jobId: id, isNew: requeued.count === 1 };
  }
  try {
    await enqueueJob(db, {
      id,
      payload: {
        v: 1,
        kind: "dashboards",
        corpus: o.corpus,
        transcoderSetId: o.transcoderSetId,
        layers: null,
        maxDocs: null,
        maxWindows: o.maxWindows ?? null,
      },
      modelId: o.modelId,
      workspaceId: null,
      createdById: null,
    });
    return { status: "queued", jobId: id, isNew: true };
  } catch (e) {
    // Another enqueue inserted the same id first (a unique violation): that job is the one.
    if ((e as { code?: string }).code === "P2002") return { status: "queued", jobId: id, isNew: false };
    throw e;
  }
}
