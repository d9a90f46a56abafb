/**
 * Reads a request body with a size limit that holds while streaming (a lying or absent Content-Length
 * cannot push more than `maxBytes` into memory). `Content-Encoding: gzip` bodies are inflated, also
 * bounded by `maxBytes`.
 */
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import { AppError } from "../errors";

const gunzipAsync = promisify(gunzip);

export async function readBodyLimited(
  req: Request,
  maxBytes: number,
  { limitName = "MAX_UPLOAD_BYTES", what = "the graph JSON" }: { limitName?: string; what?: string } = {},
): Promise<Uint8Array> {
  const tooLarge = () =>
    new AppError("PAYLOAD_TOO_LARGE", `The request body is larger than the limit of ${maxBytes} bytes (${limitName})`);
  const declared = Number(req.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  if (!req.body) throw new AppError("BAD_REQUEST", `body: the request has no body; send ${what} as the body`);

  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const body = Buffer.concat(chunks, total);
  if (total === 0) throw new AppError("BAD_REQUEST", `body: the request body is empty; send ${what} as the body`);
  if ((req.headers.get("content-encoding") ?? "").toLowerCase() !== "gzip") return body;
  try {
    return await gunzipAsync(body, { maxOutputLength: maxBytes });
  } catch (e) {
    if ((e as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") throw tooLarge();
    throw new AppError("BAD_REQUEST", "body: Content-Encoding is gzip but the body is not valid gzip data");
  }
}
