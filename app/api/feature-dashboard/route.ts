/**
 * GET /api/feature-dashboard?model=<modelId>&set=<transcoderSetId>&layer=<l>&index=<i>[&v=<version>]
 * One feature's dashboard record (JSON), after the read check (server/authz/feature-dashboard-access.ts).
 * The record of a version never changes: the ETag is the version, a request naming its version (`v`, as
 * given in the X-Dashboard-Version header) is cached as immutable, one without revalidates (304).
 * 404 with appCode NO_DASHBOARDS: nothing computed for the set; NO_DASHBOARD_FEATURE: not this feature.
 */
import type { NextRequest } from "next/server";
import { z } from "zod";
import { AppError } from "~/server/errors";
import { requestContext } from "~/server/http/request-context";
import { handleErrors } from "~/server/http/responses";
import { readFeatureDashboard } from "~/server/services/feature-dashboards";

const ZQuery = z.object({
  model: z.string().min(1, "model: required").max(120),
  set: z.string().min(1, "set: required").max(200),
  layer: z.coerce.number().int().min(0, "layer: at least 0").max(999),
  index: z.coerce.number().int().min(0, "index: at least 0").max(16_777_215),
  v: z.string().max(80).optional(),
});

export const GET = handleErrors(async (req: NextRequest) => {
  const q = ZQuery.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!q.success) {
    const i = q.error.issues[0]!;
    throw new AppError("BAD_REQUEST", i.message.includes(":") ? i.message : `${i.path.join(".")}: ${i.message}`);
  }
  const { db, store, user } = await requestContext(req);
  const { version, json } = await readFeatureDashboard(db, store, {
    actor: user,
    modelId: q.data.model,
    transcoderSetId: q.data.set,
    layer: q.data.layer,
    feature: q.data.index,
  });
  const etag = `"${version}"`;
  const headers = {
    etag,
    "x-dashboard-version": version,
    vary: "cookie, authorization",
    "cache-control": q.data.v === version ? "private, max-age=31536000, immutable" : "private, no-cache",
  };
  if (req.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  return new Response(json, { headers: { ...headers, "content-type": "application/json" } });
});
