/** POST /api/worker/claim: server/jobs/worker-api.ts. */
import { appWorkerApi } from "~/server/jobs/app-worker-api";

export const POST = appWorkerApi.claim;
