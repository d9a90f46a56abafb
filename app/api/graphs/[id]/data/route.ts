/**
 * GET /api/graphs/:id/data — the graph body for the viewer, after the read check (server/authz).
 * Served gzip-compressed as stored; inflated only for a client that does not accept gzip.
 */
import type { NextRequest } from "next/server";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import { getRequestUser } from "~/server/auth/request-user";
import { getDb } from "~/server/db/client";
import { handleErrors } from "~/server/http/responses";
import { readGraphBodyGzip } from "~/server/services/graphs";
import { getBlobStore } from "~/server/storage";

const gunzipAsync = promisify(gunzip);

export const GET = handleErrors(async (req: NextRequest, ctx: { params: Promise<{ id: string }> }) => {
  const actor = await getRequestUser(req);
  const { gzipped } = await readGraphBodyGzip(getDb(), getBlobStore(), { actor, graphId: (await ctx.params).id });
  const headers = { "content-type": "application/json", "cache-control": "private, max-age=300", vary: "accept-encoding, cookie, authorization" };
  if (/\bgzip\b/.test(req.headers.get("accept-encoding") ?? "")) {
    return new Response(gzipped as Uint8Array<ArrayBuffer>, { headers: { ...headers, "content-encoding": "gzip" } });
  }
  return new Response((await gunzipAsync(gzipped)) as Uint8Array<ArrayBuffer>, { headers });
});
