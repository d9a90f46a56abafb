import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { NextRequest } from "next/server";
import { env } from "~/server/env";
import { boundedRequest } from "~/server/http/bounded-request";
import { requestContext } from "~/server/http/request-context";
import { errorResponse } from "~/server/http/responses";
import { requestLogger } from "~/server/log";
import { toTrpcError } from "~/server/trpc/init";
import { appRouter } from "~/server/trpc/root";
import { batchedAuthError } from "~/server/trpc/unbatched-auth";

// Bodies over TRPC_MAX_BODY_BYTES are refused (413) before they are parsed; batches over TRPC_MAX_BATCH,
// and batches containing an auth.* call, are refused (400) before any call runs.
const handler = async (original: NextRequest) => {
  const refused = batchedAuthError(original);
  if (refused) return errorResponse(refused, original);
  const e = env();
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
    createContext: () =>
      requestContext(original).catch((error: unknown) => {
        throw toTrpcError(error); // a bad API key: 401, not a 500
      }),
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") {
        requestLogger(original).error({ err: error.cause ?? error, procedure: path ?? "?" }, "tRPC procedure failed");
      }
    },
  });
};

export { handler as GET, handler as POST };
