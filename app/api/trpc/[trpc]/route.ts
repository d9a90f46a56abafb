import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { NextRequest } from "next/server";
import { requestContext } from "~/server/http/request-context";
import { requestLogger } from "~/server/log";
import { appRouter } from "~/server/trpc/root";
import { refuseBatchedAuth } from "~/server/trpc/unbatched-auth";

const handler = (req: NextRequest) =>
  refuseBatchedAuth(req) ??
  fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () => requestContext(req),
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") {
        requestLogger(req).error({ err: error.cause ?? error, procedure: path ?? "?" }, "tRPC procedure failed");
      }
    },
  });

export { handler as GET, handler as POST };
