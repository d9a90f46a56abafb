/**
 * tRPC setup, in three parts (as create-t3-app): CONTEXT, INITIALIZATION, PROCEDURES.
 * Rarely edited. Procedures stay thin: validate input with zod, call one service.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import { describeZodError } from "../errors";
import type { RequestContext } from "../http/request-context";

// 1. CONTEXT — who is calling and what they reach (server/http/request-context.ts builds it for every request).
export type TrpcContext = RequestContext;

// 2. INITIALIZATION — superjson for Dates; zod failures become BAD_REQUEST with the fields named.
const t = initTRPC.context<TrpcContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const zodError = error.cause instanceof ZodError ? error.cause : null;
    return {
      ...shape,
      message: zodError ? describeZodError(zodError) : shape.message,
      data: { ...shape.data, zodError: zodError ? zodError.flatten() : null },
    };
  },
});

export const createCallerFactory = t.createCallerFactory;
export const router = t.router;

// 3. PROCEDURES
/**
 * Input validation runs inside this middleware, so every zod failure leaves as BAD_REQUEST with a message
 * naming the fields ("name: at most 80 characters"), whether called over HTTP or through createCaller.
 */
const readableInputErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.code === "BAD_REQUEST" && result.error.cause instanceof ZodError) {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: describeZodError(result.error.cause),
      cause: result.error.cause,
    });
  }
  return result;
});

export const publicProcedure = t.procedure.use(readableInputErrors);

/** Signed-in users only; `ctx.user` is non-null inside. Workspace rules are checked by services via server/authz. */
export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first" });
  return next({ ctx: { ...ctx, user: ctx.user } });
});
