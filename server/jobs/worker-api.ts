/**
 * The worker API's HTTP handlers (Request → Response), each authenticated by a worker token first:
 * mounted by the Next routes under app/api/worker/ and, in the integration tests, by a plain node:http
 * server, so both run exactly this code. Routes:
 *   POST /api/worker/claim                    claimForWorker
 *   POST /api/worker/jobs/:id/heartbeat       heartbeatJob
 *   POST /api/worker/jobs/:id/progress        reportProgress
 *   POST /api/worker/jobs/:id/parts/:name?workerId=  one part of a dashboards job (uploadDashboardPart)
 *   POST /api/worker/jobs/:id/complete?workerId=   completeJob (the body is the result)
 *   POST /api/worker/jobs/:id/fail            failJob
 *   GET|POST /api/worker/tokenizers/:hash     204 when present / 404 | store it
 */
import { z } from "zod";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { readBodyLimited } from "../http/read-body";
import { readJson } from "../http/read-json";
import { handleErrors } from "../http/responses";
import { uploadDashboardPart } from "../services/feature-dashboards/store-computed-dashboards";
import type { BlobStore } from "../storage/blob-store";
import { ZJobErrorCodeSchema } from "@circuitboard/shared/jobs/job-errors";
import { ZJobProgressSchema } from "@circuitboard/shared/jobs/job-progress";
import { hasTokenizer, MAX_TOKENIZER_BYTES, storeTokenizer } from "./tokenizers";
import { authenticateWorker } from "./worker-tokens";
import {
  claimForWorker,
  completeJob,
  failJob,
  heartbeatJob,
  heldJob,
  reportProgress,
  ZClaimRequestSchema,
  ZWorkerIdSchema,
} from "./worker-protocol";

export interface WorkerApiDeps {
  db: () => Db;
  store: () => BlobStore;
  maxUploadBytes: () => number;
}

type Params = { params: Promise<Record<string, string>> };

const ZWorkerOnly = z.object({ workerId: ZWorkerIdSchema });
const ZProgress = ZJobProgressSchema.extend({ workerId: ZWorkerIdSchema });
const ZFail = z.object({
  workerId: ZWorkerIdSchema,
  code: ZJobErrorCodeSchema,
  error: z.string().min(1, "error: required").max(4000, "error: at most 4000 characters"),
});

export function workerApi(d: WorkerApiDeps) {
  const jobIdOf = async (ctx: Params) => {
    const id = (await ctx.params).id ?? "";
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new AppError("BAD_REQUEST", "jobId: not a job id");
    return id;
  };
  return {
    claim: handleErrors(async (req: Request) => {
      const identity = await authenticateWorker(d.db(), req);
      const job = await claimForWorker(d.db(), identity, await readJson(req, ZClaimRequestSchema), req.signal);
      // The upload limit rides along, so a worker splits multi-part results (dashboards) to fit it.
      return job ? Response.json({ job, maxUploadBytes: d.maxUploadBytes() }) : new Response(null, { status: 204 });
    }),
    heartbeat: handleErrors(async (req: Request, ctx: Params) => {
      await authenticateWorker(d.db(), req);
      const body = await readJson(req, ZWorkerOnly);
      return Response.json(await heartbeatJob(d.db(), { jobId: await jobIdOf(ctx), ...body }));
    }),
    progress: handleErrors(async (req: Request, ctx: Params) => {
      await authenticateWorker(d.db(), req);
      const body = await readJson(req, ZProgress);
      return Response.json(await reportProgress(d.db(), { jobId: await jobIdOf(ctx), ...body }));
    }),
    complete: handleErrors(async (req: Request, ctx: Params) => {
      await authenticateWorker(d.db(), req);
      const workerId = ZWorkerIdSchema.safeParse(new URL(req.url).searchParams.get("workerId"));
      if (!workerId.success) throw new AppError("BAD_REQUEST", "workerId: required as a query parameter");
      const maxBytes = d.maxUploadBytes();
      const body = await readBodyLimited(req, maxBytes);
      const jobId = await jobIdOf(ctx);
      return Response.json(await completeJob(d.db(), d.store(), { jobId, workerId: workerId.data, body, maxBytes }));
    }),
    uploadPart: handleErrors(async (req: Request, ctx: Params) => {
      await authenticateWorker(d.db(), req);
      const workerId = ZWorkerIdSchema.safeParse(new URL(req.url).searchParams.get("workerId"));
      if (!workerId.success) throw new AppError("BAD_REQUEST", "workerId: required as a query parameter");
      const job = await heldJob(d.db(), await jobIdOf(ctx), workerId.data);
      const body = await readBodyLimited(req, d.maxUploadBytes());
      return Response.json(await uploadDashboardPart(d.store(), job, (await ctx.params).name ?? "", body));
    }),
    fail: handleErrors(async (req: Request, ctx: Params) => {
      await authenticateWorker(d.db(), req);
      const body = await readJson(req, ZFail);
      return Response.json(await failJob(d.db(), { jobId: await jobIdOf(ctx), ...body }));
    }),
    hasTokenizer: handleErrors(async (req: Request, ctx: Params) => {
      await authenticateWorker(d.db(), req);
      const present = await hasTokenizer(d.store(), (await ctx.params).hash ?? "");
      return new Response(null, { status: present ? 204 : 404 });
    }),
    putTokenizer: handleErrors(async (req: Request, ctx: Params) => {
      await authenticateWorker(d.db(), req);
      const body = await readBodyLimited(req, MAX_TOKENIZER_BYTES);
      await storeTokenizer(d.store(), (await ctx.params).hash ?? "", body);
      return Response.json({ stored: true });
    }),
  };
}
