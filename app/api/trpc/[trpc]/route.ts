import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { NextRequest } from "next/server";
import { env } from "~/server/env";
import { toAppError } from "~/server/errors";
import { boundedRequest } from "~/server/http/bounded-request";
import { requestContext } from "~/server/http/request-context";
import { errorResponse } from "~/server/http/responses";
import { requestLogger } from "~/server/log";
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
    // Who is calling is decided here, before any procedure: a bad API key is a 401 (AppError UNAUTHORIZED),
    // which tRPC would otherwise report as a 500, as for any non-tRPC error thrown while building a context.
    createContext: () =>
      requestContext(original).catch((e: unknown) => {
        const appError = toAppError(e);
        throw appError ? new TRPCError({ code: appError.code, message: appError.message, cause: appError }) : e;
      }),
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") {
        requestLogger(original).error({ err: error.cause ?? error, procedure: path ?? "?" }, "tRPC procedure failed");
      }
    },
  });
};

export { handler as GET, handler as POST };
