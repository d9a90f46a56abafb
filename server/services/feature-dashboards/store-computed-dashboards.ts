/**
 * The two app-side steps of a `dashboards` job (the worker protocol calls them):
 *   uploadDashboardPart   one layer (or slice of one) while the job runs, each a request within the upload
 *                         limit, stored at dashboards/<jobId>/<name> — the worker's disk is never read
 *   storeComputedDashboards  the completion: the manifest that indexes the parts is checked against them,
 *                         kept as the index blob, and the FeatureDashboardSet row commits with the job's "done"
 * The set's id is the job's id, so a retried upload of the same job overwrites its own parts only.
 */
import type { Db } from "../../db/client";
import { AppError } from "../../errors";
import type { MarkDone, ResultColumns } from "../../jobs/job-result-columns";
import type { BlobStore } from "../../storage/blob-store";
import { ZDashboardsPayloadSchema } from "@circuitboard/shared/job-payload";
import { DASHBOARD_PART_NAME, ZDashboardManifestSchema } from "@circuitboard/shared/jobs/dashboard-manifest";
import { dashboardIndexKey, dashboardPartKey } from "./dashboard-keys";

type JobRow = Awaited<ReturnType<Db["job"]["findUniqueOrThrow"]>>;

/** Stores one part of a running dashboards job. The caller has checked that this worker holds the job. */
export async function uploadDashboardPart(store: BlobStore, job: JobRow, name: string, body: Uint8Array) {
  if (job.kind !== "dashboards") throw new AppError("BAD_REQUEST", `parts: job ${job.id} is a ${job.kind} job`);
  if (!DASHBOARD_PART_NAME.test(name)) {
    throw new AppError(
      "BAD_REQUEST",
      `name: expected layer_{l}.bin or layer_{l}_part_{k}.bin, got "${name.slice(0, 60)}"`,
    );
  }
  if (body.byteLength < 4)
    throw new AppError("BAD_REQUEST", `${name}: ${body.byteLength} bytes, at least one record expected`);
  await store.put(dashboardPartKey(job.id, name), body, "application/octet-stream");
  return { stored: name, sizeBytes: body.byteLength };
}

export async function storeComputedDashboards(
  db: Db,
  store: BlobStore,
  job: JobRow,
  body: Uint8Array,
  markDone: MarkDone,
): Promise<ResultColumns> {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(body).toString("utf8"));
  } catch {
    throw new AppError("BAD_REQUEST", "manifest: not JSON");
  }
  const parsed = ZDashboardManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new AppError("BAD_REQUEST", `manifest.${i.path.join(".")}: ${i.message}`);
  }
  const manifest = parsed.data;
  const payload = ZDashboardsPayloadSchema.parse(JSON.parse(job.payload));
  if (payload.transcoderSetId && payload.transcoderSetId !== manifest.transcoderSetId) {
    throw new AppError(
      "BAD_REQUEST",
      `manifest.transcoderSetId: the job asked for "${payload.transcoderSetId}", the worker computed "${manifest.transcoderSetId}"`,
    );
  }
  const problems: string[] = [];
  for (const { layer, parts } of manifest.layers) {
    let next = 0;
    for (const part of parts) {
      if (part.firstFeature !== next)
        problems.push(`layer ${layer}: ${part.name} starts at ${part.firstFeature}, expected ${next}`);
      next = part.firstFeature + part.offsets.length - 1;
      if (part.offsets.some((o, i) => i > 0 && o <= part.offsets[i - 1]!))
        problems.push(`${part.name}: offsets not increasing`);
      if (!(await store.has(dashboardPartKey(job.id, part.name)))) problems.push(`${part.name}: never uploaded`);
    }
    if (next !== manifest.dTranscoder)
      problems.push(`layer ${layer}: ${next} features, expected ${manifest.dTranscoder}`);
  }
  if (problems.length > 0) throw new AppError("BAD_REQUEST", `manifest: ${problems.slice(0, 5).join("; ")}`);

  const indexKey = dashboardIndexKey(job.id);
  await store.put(indexKey, Buffer.from(JSON.stringify(manifest)), "application/json");
  const columns = { resultBlobKey: indexKey };
  await db.$transaction(async (tx) => {
    await markDone(tx as Db, columns);
    await (tx as Db).featureDashboardSet.create({
      data: {
        id: job.id,
        modelId: job.modelId,
        transcoderSetId: manifest.transcoderSetId,
        corpus: payload.corpus,
        source: "computed",
        jobId: job.id,
        indexKey,
        nLayers: manifest.nLayers,
        dTranscoder: manifest.dTranscoder,
      },
    });
  });
  return columns;
}
