/**
 * Plain (non-tRPC) route handlers answer errors the same way tRPC does: a status from AppError's code,
 * and `{ error: { code, message, path? } }`. Anything that is not an AppError is logged and is a 500.
 */
import { TRPCError } from "@trpc/server";
import { httpStatusOf } from "../errors";
import { requestLogger } from "../log";
import { GraphFileError } from "../services/graphs";

export function errorResponse(error: unknown, req?: Request): Response {
  if (error instanceof TRPCError) {
    const path = error instanceof GraphFileError ? error.formatError.path : undefined;
    return Response.json(
      { error: { code: error.code, message: error.message, ...(path ? { path } : {}) } },
      { status: httpStatusOf(error) },
    );
  }
  const log = req ? requestLogger(req) : undefined;
  (log ?? requestLogger({ headers: new Headers() })).error(
    { err: error, method: req?.method, path: req ? new URL(req.url).pathname : undefined },
    "request failed",
  );
  return Response.json(
    { error: { code: "INTERNAL_SERVER_ERROR", message: "Something went wrong on our side" } },
    { status: 500 },
  );
}

/** Wraps a handler so every thrown error becomes errorResponse. */
export function handleErrors<A extends [Request, ...unknown[]]>(fn: (...args: A) => Promise<Response>) {
  return async (...args: A): Promise<Response> => {
    try {
      return await fn(...args);
    } catch (e) {
      return errorResponse(e, args[0]);
    }
  };
}
