/** Server components call procedures directly (no HTTP) with the signed-in user's context. */
import "server-only";
import { headers } from "next/headers";
import { cache } from "react";
import { getSessionUser } from "~/server/auth/session";
import { sessionContext } from "~/server/http/request-context";
import { createCaller } from "~/server/trpc/root";

export const serverApi = cache(async () => {
  const h = await headers();
  return createCaller(sessionContext(await getSessionUser(), (n) => h.get(n)));
});

/**
 * A caller with no user, whatever cookies the request carries: what embeds render with (an embed shows
 * exactly what an anonymous visitor may see, so a private graph never renders in one, whoever is signed in).
 */
export const anonymousServerApi = cache(async () => {
  const h = await headers();
  return createCaller(sessionContext(null, (n) => h.get(n)));
});
