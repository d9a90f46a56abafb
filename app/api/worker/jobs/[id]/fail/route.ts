/** POST /api/worker/jobs/:id/fail {workerId, code, error} → {status: "queued" | "failed"}, decided by the code. */
import { z } from "zod";
import { getDb } from "~/server/db/client";
import { readJson } from "~/server/http/read-json";
import { handleErrors } from "~/server/http/responses";
import { authenticateWorker } from "~/server/jobs/worker-tokens";
import { failJob, ZWorkerIdSchema } from "~/server/jobs/worker-protocol";
import { ZJobErrorCodeSchema } from "@circuitboard/shared/jobs/job-errors";

const ZFail = z.object({
  workerId: ZWorkerIdSchema,
  code: ZJobErrorCodeSchema,
  error: z.string().min(1, "error: required").max(4000),
});

export const POST = handleErrors(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const db = getDb();
  await authenticateWorker(db, req);
  const body = await readJson(req, ZFail);
  return Response.json(await failJob(db, { jobId: (await ctx.params).id, ...body }));
});
