/**
 * Errors a user can cause, independent of the transport. Services throw `AppError` with a code: either a
 * generic kind ("NOT_FOUND") or a domain code ("LAST_OWNER") that names the rule, each with its kind.
 * The kind decides the HTTP status; tRPC maps it once (server/trpc/init.ts), plain routes once
 * (server/http/responses.ts). Clients branch on `appCode`, never on the message. Anything that is not an
 * AppError is a bug: a 500 whose body says nothing internal (it is logged with the request id).
 */
import type { ZodError } from "zod";

/** The transport-level kinds, with their HTTP status (tRPC's codes of the same names). */
export const APP_ERROR_KINDS = {
  BAD_REQUEST: 400, // input is well-formed but not acceptable (e.g. a confirmation that does not match)
  UNAUTHORIZED: 401, // not signed in, or the credentials/API key are wrong
  FORBIDDEN: 403, // signed in and allowed to see the item, but the role does not allow this action
  NOT_FOUND: 404, // does not exist, or exists but is not visible to this user (private stays private)
  CONFLICT: 409, // would break a uniqueness rule or an invariant (last owner, taken slug)
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_REQUESTS: 429,
  SERVICE_UNAVAILABLE: 503, // busy right now (a full work queue): retry after `retryAfterSeconds`
} as const;
export type AppErrorKind = keyof typeof APP_ERROR_KINDS;

/**
 * Domain codes: the rule that refused, stable across transports. Add new ones here (with their kind) rather
 * than matching messages. Less obvious ones:
 *   INVALID_TEXT     a string with a NUL character or an unpaired UTF-16 surrogate (no database stores those)
 *   JOB_NOT_HELD     a worker reports on a job that was cancelled or whose lease passed to another worker
 *   BUSY             the bounded graph work pool is full
 *   NO_DASHBOARDS    no dashboards were computed or imported for this transcoder set
 *   NO_DASHBOARD_FEATURE  the set has dashboards, but none for this (layer, index)
 */
export const DOMAIN_ERROR_KINDS = {
  LAST_OWNER: "CONFLICT",
  SLUG_TAKEN: "CONFLICT",
  ALREADY_MEMBER: "CONFLICT",
  JOB_NOT_HELD: "CONFLICT",
  JOB_FINISHED: "CONFLICT",
  INVALID_TEXT: "BAD_REQUEST",
  INVALID_GRAPH_FILE: "BAD_REQUEST",
  CROSS_SITE_REQUEST: "FORBIDDEN",
  SIGNIN_RATE_LIMITED: "TOO_MANY_REQUESTS",
  RATE_LIMITED: "TOO_MANY_REQUESTS",
  JOB_QUOTA_EXCEEDED: "TOO_MANY_REQUESTS",
  BUSY: "SERVICE_UNAVAILABLE",
  NO_DASHBOARDS: "NOT_FOUND",
  NO_DASHBOARD_FEATURE: "NOT_FOUND",
} as const satisfies Record<string, AppErrorKind>;
export type DomainErrorCode = keyof typeof DOMAIN_ERROR_KINDS;

export type AppErrorCode = AppErrorKind | DomainErrorCode;

export interface AppErrorOptions {
  /** The field or JSON path the error is about ("metadata.prompt"), when there is one. */
  path?: string;
  /** For TOO_MANY_REQUESTS / SERVICE_UNAVAILABLE: when to try again (sent as Retry-After). */
  retryAfterSeconds?: number;
  cause?: unknown;
}

function kindOf(code: AppErrorCode): AppErrorKind {
  return code in APP_ERROR_KINDS ? (code as AppErrorKind) : DOMAIN_ERROR_KINDS[code as DomainErrorCode];
}

export class AppError extends Error {
  /** The domain code, or the kind when no more specific rule applies. */
  readonly appCode: AppErrorCode;
  /** The transport kind (tRPC code name), e.g. "CONFLICT" for LAST_OWNER. */
  readonly code: AppErrorKind;
  readonly status: number;
  readonly path?: string;
  readonly retryAfterSeconds?: number;

  constructor(code: AppErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AppError";
    this.appCode = code;
    this.code = kindOf(code);
    this.status = APP_ERROR_KINDS[this.code];
    if (options.path !== undefined) this.path = options.path;
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** "name: at most 80 characters; role: Invalid option…" — each zod issue prefixed with its field path. */
export function describeZodError(error: ZodError): string {
  return error.issues
    .map((i) => {
      const path = i.path.join(".");
      return path && !i.message.startsWith(`${path}:`) ? `${path}: ${i.message}` : i.message;
    })
    .join("; ");
}

/** Prisma's "unique constraint failed" (P2002): a race two requests lost to each other, not a bug. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "P2002";
}

/**
 * The AppError an unknown error stands for, or null when it is a bug. A unique-constraint race that a
 * service did not handle itself becomes a CONFLICT rather than a 500.
 */
export function toAppError(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  if (isUniqueViolation(error)) return new AppError("CONFLICT", "This was changed at the same moment; try again");
  return null;
}

export function httpStatusOf(error: unknown): number {
  return toAppError(error)?.status ?? 500;
}
