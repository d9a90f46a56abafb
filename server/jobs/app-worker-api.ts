/** The worker API bound to the process's database, BlobStore and upload limit (what the Next routes mount). */
import { getDb } from "../db/client";
import { env } from "../env";
import { getBlobStore } from "../storage";
import { workerApi } from "./worker-api";

export const appWorkerApi = workerApi({
  db: getDb,
  store: getBlobStore,
  maxUploadBytes: () => env().MAX_UPLOAD_BYTES,
});
