/**
 * POST /api/worker/jobs/:id/progress {workerId, phase, done, total, progress, etaSeconds} → the live
 * progress channel (throttled by the worker); 409 when the job was cancelled or re-assigned.
 */
import { getDb } from "~/server/db/client";
import { readJson } from "~/server/http/read-json";
import { handleErrors } from "~/server/http/responses";
import { authenticateWorker } from "~/server/jobs/worker-tokens";
import { reportProgress, ZWorkerIdSchema } from "~/server/jobs/worker-protocol";
import { ZJobProgressSchema } from "@circuitboard/shared/jobs/job-progress";

const ZProgress = ZJobProgressSchema.extend({ workerId: ZWorkerIdSchema });

export const POST = handleErrors(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const db = getDb();
  await authenticateWorker(db, req);
  const body = await readJson(req, ZProgress);
  return Response.json(await reportProgress(db, { jobId: (await ctx.params).id, ...body }));
});
