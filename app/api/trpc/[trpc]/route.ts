import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { NextRequest } from "next/server";
import { clientIp } from "~/server/auth/client-ip";
import { getRequestUser } from "~/server/auth/request-user";
import { getDb } from "~/server/db/client";
import { getMailer } from "~/server/mail";
import { getBlobStore } from "~/server/storage";
import { appRouter } from "~/server/trpc/root";
import { refuseBatchedAuth } from "~/server/trpc/unbatched-auth";

const handler = (req: NextRequest) =>
  refuseBatchedAuth(req) ??
  fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: async () => ({
      db: getDb(),
      store: getBlobStore(),
      mailer: getMailer(),
      user: await getRequestUser(req),
      ip: clientIp((name) => req.headers.get(name)),
    }),
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`tRPC ${path ?? "?"} failed:`, error.cause ?? error);
    },
  });

export { handler as GET, handler as POST };
