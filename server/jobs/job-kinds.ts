/**
 * What the app does with each kind's result when a worker completes a job (JOB_KINDS says which form it
 * takes): "graph" is imported as a graph of the job's workspace, as its creator, with the same validation
 * as an upload; "json" is validated by the kind's result schema and kept on the job; "blob" goes to the
 * BlobStore under job-results/<jobId>. Returns the columns to set on the job when it is marked done.
 */
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { importGraph } from "../services/graphs";
import type { BlobStore } from "../storage/blob-store";
import { JOB_KINDS, ZJobPayloadSchema, type JobKind } from "@circuitboard/shared/job-payload";
import { JOB_RESULT_SCHEMAS } from "@circuitboard/shared/jobs/job-results";

/** Largest JSON result kept on a job row. */
export const MAX_JSON_RESULT_BYTES = 2 * 1024 * 1024;

type JobRow = Awaited<ReturnType<Db["job"]["findUniqueOrThrow"]>>;
export interface StoredResult {
  graphId?: string;
  resultJson?: string;
  resultBlobKey?: string;
  /** Undo the storing when the job turns out to be no longer this worker's (so a result lands once). */
  undo: () => Promise<void>;
}

export async function storeJobResult(
  db: Db,
  store: BlobStore,
  job: JobRow,
  body: Uint8Array,
  maxBytes: number,
): Promise<StoredResult> {
  const kind = job.kind as JobKind;
  const form = JOB_KINDS[kind]?.result;
  if (form === "graph") {
    const payload = ZJobPayloadSchema.parse(JSON.parse(job.payload));
    if (!job.workspaceId || !job.createdById) throw new AppError("BAD_REQUEST", "A graph job needs a workspace");
    const [workspace, creator] = await Promise.all([
      db.workspace.findUniqueOrThrow({ where: { id: job.workspaceId } }),
      db.user.findUniqueOrThrow({ where: { id: job.createdById } }),
    ]);
    const title = "title" in payload ? payload.title : undefined;
    const graph = await importGraph(db, store, {
      actor: creator,
      slug: workspace.slug,
      body,
      maxBytes,
      source: "generated",
      ...(title ? { title } : {}),
    });
    return {
      graphId: graph.id,
      undo: async () => {
        const row = await db.graph.delete({ where: { id: graph.id } }).catch(() => null);
        if (row) await store.delete(row.blobKey).catch(() => undefined);
      },
    };
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
    return { resultJson: JSON.stringify(parsed.data), undo: async () => {} };
  }
  if (form === "blob") {
    if (body.byteLength > maxBytes) {
      throw new AppError("PAYLOAD_TOO_LARGE", `result: ${body.byteLength} bytes; at most ${maxBytes}`);
    }
    const key = `job-results/${job.id}`;
    await store.put(key, body);
    return { resultBlobKey: key, undo: () => store.delete(key) };
  }
  throw new AppError("BAD_REQUEST", `kind: "${job.kind}" is not a job kind this app knows`);
}
