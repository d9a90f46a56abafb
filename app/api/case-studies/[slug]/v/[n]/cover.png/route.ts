/**
 * GET /api/case-studies/:slug/v/:n/cover.png — a published version's cover (its Open Graph image), captured
 * from the sigma canvas in the author's browser; read through the version's capability like its graphs.
 */
import type { NextRequest } from "next/server";
import { AppError } from "~/server/errors";
import { requestContext } from "~/server/http/request-context";
import { handleErrors } from "~/server/http/responses";
import { readCaseStudyCover } from "~/server/services/case-studies/reader";

export const GET = handleErrors(async (req: NextRequest, ctx: { params: Promise<{ slug: string; n: string }> }) => {
  const { db, user: actor } = await requestContext(req);
  const { slug, n } = await ctx.params;
  const number = Number(n);
  if (!Number.isInteger(number) || number < 1) throw new AppError("NOT_FOUND", "Case study not found");
  const png = await readCaseStudyCover(db, { actor, slug, number });
  return new Response(new Uint8Array(png), {
    headers: { "content-type": "image/png", "cache-control": "private, max-age=300", vary: "cookie, authorization" },
  });
});
