/** POST /api/worker/jobs/:id/complete?workerId=… with the graph JSON as the body → {graphId}. */
import type { NextRequest } from "next/server";
import { assertWorker } from "~/server/auth/worker-auth";
import { env } from "~/server/env";
import { AppError } from "~/server/errors";
import { readBodyLimited } from "~/server/http/read-body";
import { backingServices } from "~/server/http/request-context";
import { handleErrors } from "~/server/http/responses";
import { completeJob, ZWorkerIdSchema } from "~/server/jobs/worker-protocol";

export const POST = handleErrors(async (req: NextRequest, ctx: { params: Promise<{ id: string }> }) => {
  assertWorker(req);
  const workerId = ZWorkerIdSchema.safeParse(req.nextUrl.searchParams.get("workerId"));
  if (!workerId.success) throw new AppError("BAD_REQUEST", "workerId: required as a query parameter");
  const maxBytes = env().MAX_UPLOAD_BYTES;
  const body = await readBodyLimited(req, maxBytes);
  const { db, store } = backingServices();
  return Response.json(
    await completeJob(db, store, {
      jobId: (await ctx.params).id,
      workerId: workerId.data,
      body,
      maxBytes,
    }),
  );
});
