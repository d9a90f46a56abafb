/**
 * Quotas on the shared queue: queued + running jobs per user and per workspace (JOB_MAX_ACTIVE_PER_USER,
 * JOB_MAX_ACTIVE_PER_WORKSPACE). Previews and system jobs count in none. Called by enqueueJob inside the
 * transaction that holds the user's and the workspace's row locks, so the check and the insert are atomic.
 */
import type { Db } from "../db/client";
import { env } from "../env";
import { AppError } from "../errors";

const counted = { status: { in: ["queued", "running"] }, isSystem: false, kind: { not: "preview" } };

export async function assertJobQuota(db: Db, o: { userId: string; workspaceId: string }): Promise<void> {
  const e = env();
  const [mine, workspace] = await Promise.all([
    db.job.count({ where: { ...counted, createdById: o.userId } }),
    db.job.count({ where: { ...counted, workspaceId: o.workspaceId } }),
  ]);
  if (mine >= e.JOB_MAX_ACTIVE_PER_USER) {
    throw new AppError("JOB_QUOTA_EXCEEDED", `You already have ${mine} jobs queued or running; wait for one to finish`);
  }
  if (workspace >= e.JOB_MAX_ACTIVE_PER_WORKSPACE) {
    throw new AppError(
      "JOB_QUOTA_EXCEEDED",
      `This workspace already has ${workspace} jobs queued or running; wait for one to finish`,
    );
  }
}
