import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { NextRequest } from "next/server";
import { clientIp } from "~/server/auth/client-ip";
import { getRequestUser } from "~/server/auth/request-user";
import { getDb } from "~/server/db/client";
import { requestLogger } from "~/server/log";
import { getBlobStore } from "~/server/storage";
import { appRouter } from "~/server/trpc/root";

const handler = (req: NextRequest) =>
  fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: async () => ({
      db: getDb(),
      store: getBlobStore(),
      user: await getRequestUser(req),
      ip: clientIp((name) => req.headers.get(name)),
    }),
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") {
        requestLogger(req).error({ err: error.cause ?? error, procedure: path ?? "?" }, "tRPC procedure failed");
      }
    },
  });

export { handler as GET, handler as POST };
