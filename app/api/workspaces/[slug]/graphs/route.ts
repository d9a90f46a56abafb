/**
 * POST /api/workspaces/:slug/graphs — import a graph file (circuit-tracer / Neuronpedia JSON) as the body.
 * Auth: session cookie or `Authorization: Bearer <API key>`. Optional query: title, description, visibility.
 * 201 → { id, title, nodeCount, linkCount, visibility, url }.
 */
import type { NextRequest } from "next/server";
import { z } from "zod";
import { env } from "~/server/env";
import { AppError, describeZodError } from "~/server/errors";
import { readBodyLimited } from "~/server/http/read-body";
import { requestContext } from "~/server/http/request-context";
import { handleErrors } from "~/server/http/responses";
import {
  importGraph,
  ZGraphDescriptionSchema,
  ZGraphTitleSchema,
  ZGraphVisibilitySchema,
} from "~/server/services/graphs";
import { ZSlugSchema } from "~/server/services/workspaces";

const ZQuery = z.object({
  title: ZGraphTitleSchema.optional(),
  description: ZGraphDescriptionSchema.optional(),
  visibility: ZGraphVisibilitySchema.optional(),
});

export const POST = handleErrors(async (req: NextRequest, ctx: { params: Promise<{ slug: string }> }) => {
  const { db, store, user } = await requestContext(req);
  if (!user) throw new AppError("UNAUTHORIZED", "Sign in or send an API key (Authorization: Bearer …)");
  const slug = ZSlugSchema.safeParse((await ctx.params).slug);
  if (!slug.success) throw new AppError("BAD_REQUEST", describeZodError(slug.error));
  const query = ZQuery.safeParse(Object.fromEntries(req.nextUrl.searchParams));
  if (!query.success) throw new AppError("BAD_REQUEST", describeZodError(query.error));
  const maxBytes = env().MAX_UPLOAD_BYTES;
  const body = await readBodyLimited(req, maxBytes);
  const graph = await importGraph(db, store, {
    actor: user,
    slug: slug.data,
    body,
    maxBytes,
    ...query.data,
  });
  return Response.json({ ...graph, url: `/g/${graph.id}` }, { status: 201 });
});
