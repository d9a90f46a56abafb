/** POST /api/worker/jobs/:id/heartbeat {workerId, phase, progress} → renews the lease; 409 when the job is no longer this worker's. */
import { z } from "zod";
import { assertWorker } from "~/server/auth/worker-auth";
import { readJson } from "~/server/http/read-json";
import { backingServices } from "~/server/http/request-context";
import { handleErrors } from "~/server/http/responses";
import { heartbeatJob, ZWorkerIdSchema } from "~/server/jobs/worker-protocol";

const ZHeartbeat = z.object({
  workerId: ZWorkerIdSchema,
  phase: z.string().max(80),
  progress: z.number().min(0).max(1),
});

export const POST = handleErrors(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  assertWorker(req);
  const body = await readJson(req, ZHeartbeat);
  return Response.json(await heartbeatJob(backingServices().db, { jobId: (await ctx.params).id, ...body }));
});
