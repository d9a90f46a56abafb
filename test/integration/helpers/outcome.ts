import { TRPCError } from "@trpc/server";
import { AppError } from "~/server/errors";

/**
 * "OK", or the code a call was refused with: the tRPC code of a procedure's error, or the kind of an
 * AppError thrown by a service called directly (anything else is a bug and is rethrown).
 */
export async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "OK";
  } catch (e) {
    if (e instanceof TRPCError) return e.code;
    if (e instanceof AppError) return e.code;
    throw e;
  }
}
