/**
 * GET /api/case-studies/:slug/v/:n/graphs/:graphId/data — a graph body read through a published case-study
 * version's capability (server/authz/case-study-access.ts): only the graphs that version lists, whatever the
 * graph's own visibility (which this does not change). Same encodings as /api/graphs/:id/data.
 */
import type { NextRequest } from "next/server";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import { AppError } from "~/server/errors";
import { requestContext } from "~/server/http/request-context";
import { handleErrors } from "~/server/http/responses";
import { readCaseStudyGraphBody } from "~/server/services/case-studies/reader";

const gunzipAsync = promisify(gunzip);

export const GET = handleErrors(
  async (req: NextRequest, ctx: { params: Promise<{ slug: string; n: string; graphId: string }> }) => {
    const { db, store, user: actor } = await requestContext(req);
    const { slug, n, graphId } = await ctx.params;
    const number = Number(n);
    if (!Number.isInteger(number) || number < 1) throw new AppError("NOT_FOUND", "Case study not found");
    const { bytes, isGzipped } = await readCaseStudyGraphBody(db, store, { actor, slug, number, graphId });
    // A version is immutable and so is a graph body: only the capability (visibility at publication) varies.
    const headers = { "cache-control": "private, max-age=300", vary: "accept, cookie, authorization" };
    if (isGzipped && (req.headers.get("accept") ?? "").includes("application/gzip")) {
      return new Response(bytes as Uint8Array<ArrayBuffer>, {
        headers: { ...headers, "content-type": "application/gzip" },
      });
    }
    const json = isGzipped ? await gunzipAsync(bytes) : bytes;
    return new Response(json as Uint8Array<ArrayBuffer>, {
      headers: { ...headers, "content-type": "application/json" },
    });
  },
);
