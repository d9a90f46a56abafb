/** The worker API bound to the app's backing services and upload limit (what the Next routes mount). */
import { env } from "../env";
import { backingServices } from "../http/request-context";
import { workerApi } from "./worker-api";

export const appWorkerApi = workerApi({
  db: () => backingServices().db,
  store: () => backingServices().store,
  maxUploadBytes: () => env().MAX_UPLOAD_BYTES,
});
