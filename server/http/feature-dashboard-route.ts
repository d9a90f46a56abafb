/**
 * GET /api/feature-dashboard?model=<modelId>&set=<transcoderSetId>&layer=<l>&index=<i>[&v=<version>]
 * One feature's dashboard record (JSON), after the read check (server/authz/feature-dashboard-access.ts),
 * from one range read. The record of a version never changes: the ETag is the version; a request naming
 * its version (`v`, from the X-Dashboard-Version header) is cached as immutable, one without revalidates
 * (304 on If-None-Match). 404 with appCode NO_DASHBOARDS: nothing computed or imported for the set;
 * NO_DASHBOARD_FEATURE: the set has no record for this feature. Mounted by app/api/feature-dashboard/; the
 * client's URL builder is app/_components/feature-dashboard/feature-dashboard-url.ts.
 */
import { z } from "zod";
import type { SessionUser } from "../services/auth/users";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { readFeatureDashboard } from "../services/feature-dashboards";
import type { BlobStore } from "../storage/blob-store";

const ZQuery = z.object({
  model: z.string().min(1, "model: required").max(120, "model: at most 120 characters"),
  set: z.string().min(1, "set: required").max(200, "set: at most 200 characters"),
  layer: z.coerce.number().int("layer: an integer").min(0, "layer: at least 0").max(999, "layer: at most 999"),
  index: z.coerce.number().int("index: an integer").min(0, "index: at least 0").max(16_777_215, "index: too large"),
  v: z.string().max(80).optional(),
});

export const IMMUTABLE_CACHE = "private, max-age=31536000, immutable";
export const REVALIDATE_CACHE = "private, no-cache";

export async function featureDashboardResponse(
  req: Request,
  c: { db: Db; store: BlobStore; user: SessionUser | null },
): Promise<Response> {
  const q = ZQuery.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!q.success) throw new AppError("BAD_REQUEST", q.error.issues[0]!.message);
  const { version, json } = await readFeatureDashboard(c.db, c.store, {
    actor: c.user,
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
    "cache-control": q.data.v === version ? IMMUTABLE_CACHE : REVALIDATE_CACHE,
  };
  if (req.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  return new Response(json, { headers: { ...headers, "content-type": "application/json" } });
}
