/**
 * Errors a user can cause, with the HTTP status each maps to. Services throw AppError; tRPC sends it as
 * its code (it is a TRPCError), and plain route handlers use `httpStatusOf`. Anything else is a bug (500).
 */
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import type { ZodError } from "zod";

export type AppErrorCode =
  | "BAD_REQUEST" // input is well-formed but not acceptable (e.g. a confirmation that does not match)
  | "UNAUTHORIZED" // not signed in, or the credentials/API key are wrong
  | "FORBIDDEN" // signed in and allowed to see the item, but the role does not allow this action
  | "NOT_FOUND" // does not exist, or exists but is not visible to this user (private stays private)
  | "CONFLICT" // would break a uniqueness rule or an invariant (last owner, taken slug)
  | "PAYLOAD_TOO_LARGE"
  | "TOO_MANY_REQUESTS";

export class AppError extends TRPCError {
  constructor(code: AppErrorCode, message: string) {
    super({ code, message });
    this.name = "AppError";
  }
}

export function httpStatusOf(error: unknown): number {
  return error instanceof TRPCError ? getHTTPStatusCodeFromError(error) : 500;
}

/** "name: at most 80 characters; role: Invalid option…" — each issue prefixed with its field path. */
export function describeZodError(error: ZodError): string {
  return error.issues
    .map((i) => {
      const path = i.path.join(".");
      return path && !i.message.startsWith(`${path}:`) ? `${path}: ${i.message}` : i.message;
    })
    .join("; ");
}
