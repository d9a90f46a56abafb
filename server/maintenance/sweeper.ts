/**
 * The sweeper: what a crash or an expired window leaves behind, cleaned up. `npm start` runs it once at
 * start (in the background) and then every SWEEP_INTERVAL_MS.
 *   - rate-limit counters whose window has ended;
 *   - temporary blob files (`*.tmp`) from a put that never finished (local store);
 *   - interrupted compressions: graph rows still pointing at a raw body are compressed now; a raw body left
 *     beside its gzip after the row moved on is removed (local store);
 *   - orphaned graph bodies whose row was never written (local store);
 *   - graphs not yet in the feature occurrence index (stored before it, or whose indexing failed).
 * Everything it touches is older than GRACE_MS, so work in flight on another instance is left alone.
 */
import type { Db } from "../db/client";
import { compressGraphBody } from "../services/graphs";
import { backfillOccurrences } from "../services/labels/occurrences";
import { sweepRateLimits } from "../services/auth/rate-limit";
import type { BlobStore } from "../storage/blob-store";
import { LocalBlobStore } from "../storage/local-blob-store";

export const SWEEP_INTERVAL_MS = 15 * 60_000;
const GRACE_MS = 10 * 60_000;

export interface SweepReport {
  rateLimits: number;
  temporaryFiles: number;
  compressed: number;
  strayRawBodies: number;
  orphanBodies: number;
  occurrencesIndexed: number;
}

export async function sweepOnce(
  db: Db,
  store: BlobStore,
  { now = new Date(), longestWindowSeconds }: { now?: Date; longestWindowSeconds: number },
): Promise<SweepReport> {
  const report: SweepReport = {
    rateLimits: 0,
    temporaryFiles: 0,
    compressed: 0,
    strayRawBodies: 0,
    orphanBodies: 0,
    occurrencesIndexed: 0,
  };
  const settled = new Date(now.getTime() - GRACE_MS);
  report.rateLimits = await sweepRateLimits(db, {
    olderThan: new Date(now.getTime() - longestWindowSeconds * 1000),
  });

  const raw = await db.graph.findMany({
    where: { blobKey: { endsWith: ".json" }, createdAt: { lt: settled } },
    select: { id: true, blobKey: true },
  });
  for (const g of raw) {
    const body = await store.get(g.blobKey);
    if (!body) continue;
    await compressGraphBody(db, store, g.id, body);
    report.compressed += 1;
  }

  report.occurrencesIndexed = await backfillOccurrences(db, store);

  if (store instanceof LocalBlobStore) {
    report.temporaryFiles = await store.sweepTemporary(settled);
    const rows = await db.graph.findMany({ select: { blobKey: true } });
    const referenced = new Set(rows.map((r) => r.blobKey));
    for (const { key, modifiedAt } of await store.list("graphs/")) {
      if (referenced.has(key) || modifiedAt >= settled) continue;
      if (key.endsWith(".json") && referenced.has(`${key}.gz`)) report.strayRawBodies += 1;
      else report.orphanBodies += 1;
      await store.delete(key);
    }
  }
  return report;
}
