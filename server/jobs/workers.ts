/**
 * The fleet as the app last saw it: one row per worker process (id, token, device, models, kinds, current
 * job, last seen), refreshed by its calls. Listed on the workers page for site admins.
 */
import type { Db } from "../db/client";

/** Who is calling the worker API: a named token's id, or null for the bootstrap WORKER_TOKEN. */
export interface WorkerIdentity {
  tokenId: string | null;
}

export async function recordWorkerSeen(
  db: Db,
  identity: WorkerIdentity,
  o: { workerId: string; device: string; modelIds: string[]; kinds: string[]; currentJobId?: string | null },
) {
  const data = {
    tokenId: identity.tokenId,
    device: o.device.slice(0, 80),
    models: JSON.stringify(o.modelIds),
    kinds: JSON.stringify(o.kinds),
    lastSeenAt: new Date(),
    ...(o.currentJobId !== undefined ? { currentJobId: o.currentJobId } : {}),
  };
  await db.worker.upsert({ where: { id: o.workerId }, create: { id: o.workerId, ...data }, update: data });
}

/** Workers seen within this window are listed as online. */
export const WORKER_ONLINE_MS = 2 * 60_000;

export async function unsafeListWorkers(db: Db) {
  const rows = await db.worker.findMany({
    orderBy: { lastSeenAt: "desc" },
    take: 500,
    include: { token: { select: { name: true, revokedAt: true } } },
  });
  const jobIds = rows.map((r) => r.currentJobId).filter((id): id is string => id !== null);
  const jobs = await db.job.findMany({
    where: { id: { in: jobIds }, status: "running" },
    select: { id: true, kind: true, phase: true, progress: true },
  });
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const now = Date.now();
  return rows.map((r) => ({
    id: r.id,
    tokenName: r.token ? r.token.name : r.tokenId === null ? "bootstrap (WORKER_TOKEN)" : "(deleted token)",
    isTokenRevoked: Boolean(r.token?.revokedAt),
    device: r.device,
    models: JSON.parse(r.models) as string[],
    kinds: JSON.parse(r.kinds) as string[],
    currentJob: (r.currentJobId && byId.get(r.currentJobId)) || null,
    firstSeenAt: r.firstSeenAt,
    lastSeenAt: r.lastSeenAt,
    isOnline: now - r.lastSeenAt.getTime() < WORKER_ONLINE_MS,
  }));
}
