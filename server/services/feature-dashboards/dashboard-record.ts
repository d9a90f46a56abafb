/**
 * One feature's record as stored (gpu-worker/src/features/dashboard-files.ts): a 4-byte little-endian length
 * n, then n bytes of gzip JSON. Imports are stored in the same form, so every read decodes the same way.
 */
import { promisify } from "node:util";
import { gunzip, gzip } from "node:zlib";

const gunzipAsync = promisify(gunzip);
const gzipAsync = promisify(gzip);

export async function encodeDashboardRecord(json: string): Promise<Uint8Array> {
  const body = await gzipAsync(json);
  const out = Buffer.alloc(4 + body.length);
  out.writeUInt32LE(body.length, 0);
  body.copy(out, 4);
  return out;
}

/** The record's JSON text; throws when the span does not hold exactly one record. */
export async function decodeDashboardRecord(span: Uint8Array, where: string): Promise<string> {
  const bytes = Buffer.from(span.buffer, span.byteOffset, span.byteLength);
  if (bytes.length < 4) throw new Error(`${where}: a record span of ${bytes.length} bytes (at least 4 expected)`);
  const n = bytes.readUInt32LE(0);
  // A one-byte overshoot is harmless (the length prefix says where the record ends), a shortfall is not.
  if (n > bytes.length - 4)
    throw new Error(`${where}: the record declares ${n} bytes, its span holds ${bytes.length - 4}`);
  return (await gunzipAsync(bytes.subarray(4, 4 + n))).toString("utf8");
}
