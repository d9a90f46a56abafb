/** The process-wide BlobStore, chosen by configuration: S3 when S3_BUCKET is set, else DATA_DIR/blobs. */
import { join } from "node:path";
import { env } from "../env";
import type { BlobStore } from "./blob-store";
import { LocalBlobStore } from "./local-blob-store";
import { S3BlobStore } from "./s3-blob-store";

export type { BlobStore } from "./blob-store";

let store: BlobStore | undefined;

export function getBlobStore(): BlobStore {
  if (store) return store;
  const e = env();
  store = e.S3_BUCKET
    ? new S3BlobStore({
        endpoint: e.S3_ENDPOINT,
        region: e.S3_REGION,
        bucket: e.S3_BUCKET,
        prefix: e.S3_PREFIX,
        accessKeyId: e.S3_ACCESS_KEY_ID ?? "",
        secretAccessKey: e.S3_SECRET_ACCESS_KEY ?? "",
        forcePathStyle: e.S3_FORCE_PATH_STYLE,
      })
    : new LocalBlobStore(join(e.DATA_DIR, "blobs"));
  return store;
}
