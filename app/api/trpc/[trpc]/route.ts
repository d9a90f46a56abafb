import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { NextRequest } from "next/server";
import { getRequestUser } from "~/server/auth/request-user";
import { getDb } from "~/server/db/client";
import { env } from "~/server/env";
import { boundedRequest } from "~/server/http/bounded-request";
import { clientIpOf, requestIdOf } from "~/server/http/request-context";
import { errorResponse } from "~/server/http/responses";
import { getBlobStore } from "~/server/storage";
import { appRouter } from "~/server/trpc/root";

// Bodies over TRPC_MAX_BODY_BYTES are refused (413) before they are parsed; batches over TRPC_MAX_BATCH
// are refused (400) before any call runs.
const handler = async (original: NextRequest) => {
  const e = env();
  const requestId = requestIdOf(original.headers);
  let req: Request;
  try {
    req = await boundedRequest(original, e.TRPC_MAX_BODY_BYTES, "TRPC_MAX_BODY_BYTES");
  } catch (error) {
    return errorResponse(error, original);
  }
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    maxBatchSize: e.TRPC_MAX_BATCH,
    createContext: async () => ({
      db: getDb(),
      store: getBlobStore(),
      user: await getRequestUser(original),
      ip: clientIpOf(original.headers),
      requestId,
    }),
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") {
        console.error(`request ${requestId}: tRPC ${path ?? "?"} failed:`, error.cause ?? error);
      }
    },
  });
};

export { handler as GET, handler as POST };
