/**
 * POST /api/worker/jobs/:id/complete?workerId=… with the result as the body (a graph file, a JSON result
 * or a blob, by the job's kind) → {status: "done", graphId?}.
 */
import type { NextRequest } from "next/server";
import { getDb } from "~/server/db/client";
import { env } from "~/server/env";
import { AppError } from "~/server/errors";
import { readBodyLimited } from "~/server/http/read-body";
import { handleErrors } from "~/server/http/responses";
import { authenticateWorker } from "~/server/jobs/worker-tokens";
import { completeJob, ZWorkerIdSchema } from "~/server/jobs/worker-protocol";
import { getBlobStore } from "~/server/storage";

export const POST = handleErrors(async (req: NextRequest, ctx: { params: Promise<{ id: string }> }) => {
  const db = getDb();
  await authenticateWorker(db, req);
  const workerId = ZWorkerIdSchema.safeParse(req.nextUrl.searchParams.get("workerId"));
  if (!workerId.success) throw new AppError("BAD_REQUEST", "workerId: required as a query parameter");
  const maxBytes = env().MAX_UPLOAD_BYTES;
  const body = await readBodyLimited(req, maxBytes);
  return Response.json(
    await completeJob(db, getBlobStore(), { jobId: (await ctx.params).id, workerId: workerId.data, body, maxBytes }),
  );
});
