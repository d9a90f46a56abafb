/** Server components call procedures directly (no HTTP) with the signed-in user's context. */
import "server-only";
import { headers } from "next/headers";
import { cache } from "react";
import { clientIp } from "~/server/auth/client-ip";
import { getSessionUser } from "~/server/auth/session";
import { getDb } from "~/server/db/client";
import { getBlobStore } from "~/server/storage";
import { createCaller } from "~/server/trpc/root";

export const serverApi = cache(async () => {
  const h = await headers();
  return createCaller({
    db: getDb(),
    store: getBlobStore(),
    user: await getSessionUser(),
    ip: clientIp((n) => h.get(n)),
  });
});

/**
 * A caller with no user, whatever cookies the request carries: what embeds render with (an embed shows
 * exactly what an anonymous visitor may see, so a private graph never renders in one, whoever is signed in).
 */
export const anonymousServerApi = cache(async () => {
  const h = await headers();
  return createCaller({ db: getDb(), store: getBlobStore(), user: null, ip: clientIp((n) => h.get(n)) });
});
