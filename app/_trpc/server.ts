/** Server components call procedures directly (no HTTP) with the signed-in user's context. */
import "server-only";
import { headers } from "next/headers";
import { cache } from "react";
import { clientIp } from "~/server/auth/client-ip";
import { getSessionUser } from "~/server/auth/session";
import { getDb } from "~/server/db/client";
import { getMailer } from "~/server/mail";
import { getBlobStore } from "~/server/storage";
import { createCaller } from "~/server/trpc/root";

export const serverApi = cache(async () => {
  const h = await headers();
  return createCaller({
    db: getDb(),
    store: getBlobStore(),
    mailer: getMailer(),
    user: await getSessionUser(),
    ip: clientIp((n) => h.get(n)),
  });
});
