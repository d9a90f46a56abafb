/**
 * GET /api/graphs/:id/data — the graph body, after the read check (server/authz).
 *
 * Bodies are stored gzip-compressed. A client that sends `Accept: application/gzip` (the viewer, which
 * inflates in its Web Worker with DecompressionStream) gets the stored bytes as they are: no work on the
 * server (it must check Content-Type: a graph imported a moment ago may still be raw JSON). Anyone else gets plain JSON, which Next compresses on the wire as usual. (Next drops a route's
 * own Content-Encoding header, so "already gzipped" cannot be passed through as transfer encoding.)
 */
import type { NextRequest } from "next/server";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import { requestContext } from "~/server/http/request-context";
import { handleErrors } from "~/server/http/responses";
import { readGraphBody } from "~/server/services/graphs";

const gunzipAsync = promisify(gunzip);

export const GET = handleErrors(async (req: NextRequest, ctx: { params: Promise<{ id: string }> }) => {
  const { db, store, user: actor } = await requestContext(req);
  const { bytes, isGzipped } = await readGraphBody(db, store, { actor, graphId: (await ctx.params).id });
  const headers = { "cache-control": "private, max-age=300", vary: "accept, cookie, authorization" };
  if (isGzipped && (req.headers.get("accept") ?? "").includes("application/gzip")) {
    return new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { ...headers, "content-type": "application/gzip" } });
  }
  const json = isGzipped ? await gunzipAsync(bytes) : bytes; // raw only in the moments after an import
  return new Response(json as Uint8Array<ArrayBuffer>, { headers: { ...headers, "content-type": "application/json" } });
});
