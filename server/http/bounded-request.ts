/**
 * A request whose body has been read within a limit, as a new Request that handlers can read freely.
 * A declared Content-Length over the limit is refused before a byte is read; a body without one is
 * counted while it streams (see read-body.ts). Either way: 413, nothing parsed.
 */
import { readBodyLimited } from "./read-body";

export async function boundedRequest(req: Request, maxBytes: number, limitName: string): Promise<Request> {
  if (req.method === "GET" || req.method === "HEAD") return req;
  const declared = Number(req.headers.get("content-length") ?? NaN);
  const body =
    declared === 0 ? new Uint8Array() : await readBodyLimited(req, maxBytes, { limitName, what: "a request" });
  const headers = new Headers(req.headers);
  headers.delete("content-encoding"); // readBodyLimited inflated a gzip body already
  headers.set("content-length", String(body.byteLength));
  return new Request(req.url, { method: req.method, headers, body: body as Uint8Array<ArrayBuffer> });
}
