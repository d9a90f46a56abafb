/** GET (204 present / 404) and POST (store) /api/worker/tokenizers/:hash: server/jobs/worker-api.ts. */
import { appWorkerApi } from "~/server/jobs/app-worker-api";

export const GET = appWorkerApi.hasTokenizer;
export const POST = appWorkerApi.putTokenizer;
