/** POST /api/worker/jobs/:id/fail {workerId, error, isRetryable} → {status: "queued" | "failed"}. */
import { z } from "zod";
import { assertWorker } from "~/server/auth/worker-auth";
import { readJson } from "~/server/http/read-json";
import { backingServices } from "~/server/http/request-context";
import { handleErrors } from "~/server/http/responses";
import { failJob, ZWorkerIdSchema } from "~/server/jobs/worker-protocol";

const ZFail = z.object({ workerId: ZWorkerIdSchema, error: z.string().min(1).max(4000), isRetryable: z.boolean() });

export const POST = handleErrors(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  assertWorker(req);
  const body = await readJson(req, ZFail);
  return Response.json(await failJob(backingServices().db, { jobId: (await ctx.params).id, ...body }));
});
