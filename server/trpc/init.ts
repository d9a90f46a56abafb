/**
 * tRPC setup, in three parts (as create-t3-app): CONTEXT, INITIALIZATION, PROCEDURES.
 * Rarely edited. Procedures stay thin: validate input with zod, call one service.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import { AppError, describeZodError, toAppError } from "../errors";
import type { RequestContext } from "../http/request-context";
import { assertValidText } from "../http/valid-text";

export { describeZodError };

// 1. CONTEXT — who is calling and what they reach (server/http/request-context.ts builds it for every request):
// the client's address as the front server saw it, and its request id (logged with every 500).
export type TrpcContext = RequestContext;

// 2. INITIALIZATION — superjson for Dates; every error leaves with its domain code (data.appCode), zod
// failures as BAD_REQUEST with the fields named, and a 500 never shows what went wrong inside.
const t = initTRPC.context<TrpcContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error, ctx }) {
    const zodError = error.cause instanceof ZodError ? error.cause : null;
    const appError = error.cause instanceof AppError ? error.cause : null;
    const isInternal = error.code === "INTERNAL_SERVER_ERROR";
    const { stack: _stack, ...data } = shape.data;
    return {
      ...shape,
      message: isInternal
        ? `Something went wrong on our side (request ${ctx?.requestId ?? "unknown"})`
        : zodError
          ? describeZodError(zodError)
          : shape.message,
      data: {
        ...data,
        appCode: appError?.appCode ?? (isInternal ? "INTERNAL_SERVER_ERROR" : error.code),
        path: appError?.path ?? null,
        retryAfterSeconds: appError?.retryAfterSeconds ?? null,
        zodError: zodError ? zodError.flatten() : null,
      },
    };
  },
});

export const createCallerFactory = t.createCallerFactory;
export const router = t.router;

// 3. PROCEDURES
/**
 * The one place errors are mapped for tRPC, whether called over HTTP or through createCaller:
 *  - input is checked for text no database stores (NUL, unpaired surrogates) before zod and the service;
 *  - an AppError (or a unique-constraint race) becomes the TRPCError of its kind, the AppError as cause;
 *  - a zod failure becomes BAD_REQUEST with a message naming the fields ("name: at most 80 characters").
 */
export const publicProcedure = t.procedure.use(async ({ next, getRawInput }) => {
  try {
    assertValidText(await getRawInput());
  } catch (e) {
    if (e instanceof AppError) throw new TRPCError({ code: e.code, message: e.message, cause: e });
    throw e;
  }
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause;
  if (result.error.code === "BAD_REQUEST" && cause instanceof ZodError) {
    throw new TRPCError({ code: "BAD_REQUEST", message: describeZodError(cause), cause });
  }
  const appError = toAppError(cause);
  if (appError) throw new TRPCError({ code: appError.code, message: appError.message, cause: appError });
  return result;
});

/** Signed-in users only; `ctx.user` is non-null inside. Workspace rules are checked by services via server/authz. */
export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new AppError("UNAUTHORIZED", "Sign in first");
  return next({ ctx: { ...ctx, user: ctx.user } });
});
