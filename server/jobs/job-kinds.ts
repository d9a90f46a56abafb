/**
 * What the app does with each kind's result when a worker completes a job (JOB_KINDS says which form it
 * takes): "graph" is imported as a graph of the job's workspace, as its creator, with the same validation
 * as an upload; "json" is validated by the kind's result schema and kept on the job; "blob" goes to the
 * BlobStore under job-results/<jobId>; "dashboards" is the manifest of the parts uploaded while the job ran
 * (services/feature-dashboards/store-computed-dashboards.ts). In every case the job is marked done (markDone) in the transaction
 * that records the result, so a result lands exactly once.
 */
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { importGraph } from "../services/graphs";
import type { MarkDone, ResultColumns } from "./job-result-columns";
import { storeComputedDashboards } from "../services/feature-dashboards/store-computed-dashboards";
import type { BlobStore } from "../storage/blob-store";
import { JOB_KINDS, ZJobPayloadSchema, type JobKind } from "@circuitboard/shared/job-payload";
import { JOB_RESULT_SCHEMAS } from "@circuitboard/shared/jobs/job-results";

/** Largest JSON result kept on a job row. */
export const MAX_JSON_RESULT_BYTES = 2 * 1024 * 1024;

type JobRow = Awaited<ReturnType<Db["job"]["findUniqueOrThrow"]>>;
export type { MarkDone, ResultColumns } from "./job-result-columns";

export async function storeJobResult(
  db: Db,
  store: BlobStore,
  job: JobRow,
  body: Uint8Array,
  maxBytes: number,
  markDone: MarkDone,
): Promise<ResultColumns> {
  const kind = job.kind as JobKind;
  // Widened: "blob" is a form no current kind uses (dashboards moved to parts + manifest), kept for the next.
  const form = JOB_KINDS[kind]?.result as "graph" | "json" | "blob" | "dashboards" | undefined;
  if (form === "graph") {
    const payload = ZJobPayloadSchema.parse(JSON.parse(job.payload));
    if (!job.workspaceId || !job.createdById) throw new AppError("BAD_REQUEST", "A graph job needs a workspace");
    const [workspace, creator] = await Promise.all([
      db.workspace.findUniqueOrThrow({ where: { id: job.workspaceId } }),
      db.user.findUniqueOrThrow({ where: { id: job.createdById } }),
    ]);
    const title = "title" in payload ? payload.title : undefined;
    // As the user who asked: the upload passes the same authorization and validation as theirs would;
    // the Graph row and the job's "done" commit together (importGraph removes the body if they do not).
    const graph = await importGraph(db, store, {
      actor: creator,
      slug: workspace.slug,
      body,
      maxBytes,
      source: "generated",
      // The model the worker announced names the graph's model (the file's own metadata may not).
      announced: { modelId: job.modelId },
      ...(title ? { title } : {}),
      withinTransaction: (tx, graphId) => markDone(tx, { graphId }),
    });
    return { graphId: graph.id };
  }
  if (form === "json") {
    if (body.byteLength > MAX_JSON_RESULT_BYTES) {
      throw new AppError("PAYLOAD_TOO_LARGE", `result: ${body.byteLength} bytes; at most ${MAX_JSON_RESULT_BYTES}`);
    }
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(body).toString("utf8"));
    } catch {
      throw new AppError("BAD_REQUEST", "result: not JSON");
    }
    const schema = JOB_RESULT_SCHEMAS[kind as keyof typeof JOB_RESULT_SCHEMAS];
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const i = parsed.error.issues[0]!;
      throw new AppError("BAD_REQUEST", `result.${i.path.join(".")}: ${i.message}`);
    }
    const columns = { resultJson: JSON.stringify(parsed.data) };
    await db.$transaction((tx) => markDone(tx as Db, columns));
    return columns;
  }
  if (form === "blob") {
    if (body.byteLength > maxBytes) {
      throw new AppError("PAYLOAD_TOO_LARGE", `result: ${body.byteLength} bytes; at most ${maxBytes}`);
    }
    const columns = { resultBlobKey: `job-results/${job.id}` };
    await store.put(columns.resultBlobKey, body);
    try {
      await db.$transaction((tx) => markDone(tx as Db, columns));
    } catch (e) {
      await store.delete(columns.resultBlobKey); // not this worker's job any more: leave nothing behind
      throw e;
    }
    return columns;
  }
  if (form === "dashboards") {
    if (body.byteLength > maxBytes) {
      throw new AppError("PAYLOAD_TOO_LARGE", `manifest: ${body.byteLength} bytes; at most ${maxBytes}`);
    }
    return storeComputedDashboards(db, store, job, body, markDone);
  }
  throw new AppError("BAD_REQUEST", `kind: "${job.kind}" is not a job kind this app knows`);
}
