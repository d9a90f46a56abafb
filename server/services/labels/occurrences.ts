/**
 * The occurrence index: one FeatureOccurrence row per transcoder-feature node of a graph, written when the
 * graph is imported (uploads, the API, the CLI and the worker's results all go through importGraph) and, for
 * graphs stored before the index existed, by the sweeper's backfill. Idempotent per graph: a graph's rows are
 * replaced and its occurrencesIndexedAt set in one transaction.
 */
import type { Db } from "../../db/client";
import type { TFeatureColumns } from "../../graph-work/graph-task";
import { runInGraphPool } from "../../graph-work/graph-pool";
import { logger } from "../../log";
import type { BlobStore } from "../../storage/blob-store";
import { gunzipSync } from "node:zlib";

// Rows per INSERT: 9 columns x 2000 stays below SQLite's bound-variable limit (32,766).
const CHUNK = 2000;

const finiteOrNull = (v: number) => (Number.isFinite(v) ? v : null);

export async function writeOccurrences(
  db: Db,
  o: { graphId: string; modelId: string; transcoderSetId: string; features: TFeatureColumns },
): Promise<number> {
  const { features: f } = o;
  // A graph whose transcoder set is unknown names no feature that another graph could share.
  const count = o.transcoderSetId === "" ? 0 : f.layer.length;
  await db.$transaction(async (tx) => {
    await tx.featureOccurrence.deleteMany({ where: { graphId: o.graphId } });
    for (let start = 0; start < count; start += CHUNK) {
      const data = [];
      for (let i = start; i < Math.min(count, start + CHUNK); i++) {
        data.push({
          graphId: o.graphId,
          modelId: o.modelId,
          transcoderSetId: o.transcoderSetId,
          layer: f.layer[i]!,
          index: f.index[i]!,
          ctxIdx: f.ctxIdx[i]!,
          activation: finiteOrNull(f.activation[i]!),
          influence: finiteOrNull(f.influence[i]!),
        });
      }
      await tx.featureOccurrence.createMany({ data });
    }
    await tx.graph.updateMany({ where: { id: o.graphId }, data: { occurrencesIndexedAt: new Date() } });
  });
  return count;
}

/** Indexes the graphs stored before the index (occurrencesIndexedAt null), a few at a time. Returns how many. */
export async function backfillOccurrences(db: Db, store: BlobStore, { limit = 50 } = {}): Promise<number> {
  const graphs = await db.graph.findMany({
    where: { occurrencesIndexedAt: null },
    select: { id: true, blobKey: true, modelId: true, transcoderSet: true },
    orderBy: { createdAt: "asc" },
    take: limit,
  });
  let done = 0;
  for (const g of graphs) {
    const stored = await store.get(g.blobKey);
    if (!stored) continue; // compressed meanwhile, or deleted: the next sweep sees it again
    const body = g.blobKey.endsWith(".gz") ? gunzipSync(stored) : stored;
    const parsed = await runInGraphPool({ kind: "describe", body });
    if (!parsed.ok || parsed.kind !== "describe") {
      logger().warn({ graphId: g.id }, "occurrence backfill: the stored body does not parse; skipped");
      await db.graph.updateMany({ where: { id: g.id }, data: { occurrencesIndexedAt: new Date() } });
      continue;
    }
    await writeOccurrences(db, {
      graphId: g.id,
      modelId: g.modelId,
      transcoderSetId: g.transcoderSet,
      features: parsed.description.features,
    });
    done += 1;
  }
  return done;
}
