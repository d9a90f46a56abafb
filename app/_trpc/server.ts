/** Server components call procedures directly (no HTTP) with the signed-in user's context. */
import "server-only";
import { headers } from "next/headers";
import { cache } from "react";
import { getSessionUser } from "~/server/auth/session";
import { getDb } from "~/server/db/client";
import { clientIpOf, requestIdOf } from "~/server/http/request-context";
import { getBlobStore } from "~/server/storage";
import { createCaller } from "~/server/trpc/root";

export const serverApi = cache(async () => {
  const h = await headers();
  return createCaller({
    db: getDb(),
    store: getBlobStore(),
    user: await getSessionUser(),
    ip: clientIpOf(h),
    requestId: requestIdOf(h),
  });
});
