import { TRPCError } from "@trpc/server";

/** "OK", or the tRPC code a call was refused with (anything else is a bug and is rethrown). */
export async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "OK";
  } catch (e) {
    if (e instanceof TRPCError) return e.code;
    throw e;
  }
}
