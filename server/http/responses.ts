/**
 * Plain (non-tRPC) route handlers answer errors the same way tRPC does: the status of the AppError's kind,
 * and `{ error: { code, appCode, message, path? } }` (Retry-After when the error says when). This is the one
 * place errors are mapped for HTTP. Anything that is not an AppError is logged with the request id and is
 * a 500 that shows nothing internal.
 */
import { toAppError } from "../errors";
import { logger, requestIdOf } from "../log";

export function errorResponse(error: unknown, req?: Request): Response {
  const appError = toAppError(error);
  if (appError) {
    return Response.json(
      {
        error: {
          code: appError.code,
          appCode: appError.appCode,
          message: appError.message,
          ...(appError.path ? { path: appError.path } : {}),
        },
      },
      {
        status: appError.status,
        headers: appError.retryAfterSeconds ? { "retry-after": String(appError.retryAfterSeconds) } : {},
      },
    );
  }
  const headers = req?.headers ?? new Headers();
  const requestId = requestIdOf(headers);
  logger()
    .child({ reqId: requestId })
    .error({ err: error, method: req?.method, path: req ? new URL(req.url).pathname : undefined }, "request failed");
  return Response.json(
    {
      error: {
        code: "INTERNAL_SERVER_ERROR",
        appCode: "INTERNAL_SERVER_ERROR",
        message: `Something went wrong on our side (request ${requestId})`,
      },
    },
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
