/** POST /api/worker/jobs/:id/parts/:name: server/jobs/worker-api.ts. */
import { appWorkerApi } from "~/server/jobs/app-worker-api";

export const POST = appWorkerApi.uploadPart;
