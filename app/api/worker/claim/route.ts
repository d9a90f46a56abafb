/**
 * POST /api/worker/claim {workerId, models, kinds?, device?, waitMs?, lane?} → 200 {job} with a lease, or
 * 204 when no job came within waitMs.
 */
import { getDb } from "~/server/db/client";
import { readJson } from "~/server/http/read-json";
import { handleErrors } from "~/server/http/responses";
import { authenticateWorker } from "~/server/jobs/worker-tokens";
import { claimForWorker, ZClaimRequestSchema } from "~/server/jobs/worker-protocol";

export const POST = handleErrors(async (req: Request) => {
  const db = getDb();
  const identity = await authenticateWorker(db, req);
  const job = await claimForWorker(db, identity, await readJson(req, ZClaimRequestSchema));
  return job ? Response.json({ job }) : new Response(null, { status: 204 });
});
