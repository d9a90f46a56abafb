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
