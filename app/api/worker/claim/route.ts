/** POST /api/worker/claim {workerId, models} → 200 {job} with a lease, or 204 when the queue is empty. */
import { z } from "zod";
import { assertWorker } from "~/server/auth/worker-auth";
import { readJson } from "~/server/http/read-json";
import { backingServices } from "~/server/http/request-context";
import { handleErrors } from "~/server/http/responses";
import { announceModels, claimJob, ZAnnouncedModelSchema, ZWorkerIdSchema } from "~/server/jobs/worker-protocol";

const ZClaim = z.object({ workerId: ZWorkerIdSchema, models: z.array(ZAnnouncedModelSchema).min(1).max(50) });

export const POST = handleErrors(async (req: Request) => {
  assertWorker(req);
  const { workerId, models } = await readJson(req, ZClaim);
  const { db } = backingServices();
  await announceModels(db, models);
  const job = await claimJob(db, { workerId, modelIds: models.map((m) => m.id) });
  return job ? Response.json({ job }) : new Response(null, { status: 204 });
});
