/**
 * One feature's dashboard record for the dashboard route: the newest computed set of (model, transcoder
 * set), else an imported one; the feature's bytes come from ONE range read of one blob (the manifest says
 * where, and is itself read once per set version and kept in memory: it never changes). The version is the
 * set's id, so the route can cache the record as immutable.
 */
import { assertMayReadFeatureDashboards } from "../../authz/feature-dashboard-access";
import type { Actor } from "../../authz/actor";
import type { Db } from "../../db/client";
import { AppError } from "../../errors";
import type { BlobStore } from "../../storage/blob-store";
import {
  locateFeature,
  ZDashboardManifestSchema,
  type TDashboardManifest,
} from "@circuitboard/shared/jobs/dashboard-manifest";
import { dashboardPartKey } from "./dashboard-keys";
import { decodeDashboardRecord } from "./dashboard-record";

export interface FeatureRef {
  modelId: string;
  transcoderSetId: string;
  layer: number;
  feature: number;
}

const MANIFEST_CACHE_SIZE = 16;
const manifests = new Map<string, TDashboardManifest>();

async function manifestOf(store: BlobStore, setId: string, indexKey: string): Promise<TDashboardManifest> {
  const cached = manifests.get(setId);
  if (cached) return cached;
  const bytes = await store.get(indexKey);
  if (!bytes) throw new Error(`dashboard set ${setId}: its index ${indexKey} is missing from the BlobStore`);
  const manifest = ZDashboardManifestSchema.parse(JSON.parse(Buffer.from(bytes).toString("utf8")));
  if (manifests.size >= MANIFEST_CACHE_SIZE) manifests.delete(manifests.keys().next().value!);
  manifests.set(setId, manifest);
  return manifest;
}

/** The newest dashboard set for a model's transcoder set (computed before imported), or null. */
export async function findDashboardSet(db: Db, o: { modelId: string; transcoderSetId: string }) {
  const sets = await db.featureDashboardSet.findMany({
    where: { modelId: o.modelId, transcoderSetId: o.transcoderSetId },
    orderBy: { createdAt: "desc" },
    take: 20,
  });
  return sets.find((s) => s.source === "computed") ?? sets[0] ?? null;
}

/** The feature's record as JSON text, and the version it belongs to. */
export async function readFeatureDashboard(
  db: Db,
  store: BlobStore,
  o: { actor: Actor | null } & FeatureRef,
): Promise<{ version: string; json: string; source: string }> {
  assertMayReadFeatureDashboards(o.actor);
  const set = await findDashboardSet(db, o);
  if (!set) throw new AppError("NO_DASHBOARDS", "No dashboard computed for this transcoder set yet");
  const missing = () =>
    new AppError(
      "NO_DASHBOARD_FEATURE",
      `No dashboard for layer ${o.layer} feature ${o.feature} in this transcoder set`,
    );
  let key: string, start: number, end: number;
  let version = set.id;
  if (set.source === "computed" && set.indexKey) {
    const at = locateFeature(await manifestOf(store, set.id, set.indexKey), o.layer, o.feature);
    if (!at) throw missing();
    [key, start, end] = [dashboardPartKey(set.id, at.name), at.start, at.end];
  } else {
    const row = await db.importedFeatureDashboard.findUnique({
      where: { setId_layer_feature: { setId: set.id, layer: o.layer, feature: o.feature } },
    });
    if (!row) throw missing();
    [key, start, end] = [row.blobKey, 0, row.sizeBytes];
    version = `${set.id}.${row.createdAt.getTime().toString(36)}`; // a re-import replaces the record: a new version
  }
  const span = await store.readRange(key, start, end);
  if (!span) throw new Error(`dashboard set ${set.id}: ${key} is missing from the BlobStore`);
  return { version, json: await decodeDashboardRecord(span, key), source: set.source };
}
