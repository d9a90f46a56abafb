/** POST /api/worker/jobs/:id/heartbeat {workerId} → renews the lease; 409 when the job is no longer this worker's. */
import { z } from "zod";
import { getDb } from "~/server/db/client";
import { readJson } from "~/server/http/read-json";
import { handleErrors } from "~/server/http/responses";
import { authenticateWorker } from "~/server/jobs/worker-tokens";
import { heartbeatJob, ZWorkerIdSchema } from "~/server/jobs/worker-protocol";

const ZHeartbeat = z.object({ workerId: ZWorkerIdSchema });

export const POST = handleErrors(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const db = getDb();
  await authenticateWorker(db, req);
  const body = await readJson(req, ZHeartbeat);
  return Response.json(await heartbeatJob(db, { jobId: (await ctx.params).id, ...body }));
});
