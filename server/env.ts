/**
 * The app's configuration: every environment variable it reads, validated once, with its default.
 * Code imports `env()`, never `process.env` (the README's "Configuration" table mirrors this file).
 */
import { LOG_FORMATS, LOG_LEVELS } from "@circuitboard/shared/log";
import { z } from "zod";
import { join } from "node:path";
import { providerOf } from "./database-url";

const ZEnvSchema = z.object({
  // Unset: the SQLite file DATA_DIR/circuitboard.db (filled in below, once DATA_DIR is known).
  DATABASE_URL: z
    .string()
    .optional()
    .refine((url) => {
      try {
        if (url !== undefined) providerOf(url);
        return true;
      } catch {
        return false;
      }
    }, 'must start with "file:" (SQLite) or "postgresql://" (PostgreSQL)'),
  DATA_DIR: z.string().default("./data"),
  // The logger (server/log.ts): level, and JSON lines or pretty (default: pretty on a terminal outside production).
  LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
  LOG_FORMAT: z.enum(LOG_FORMATS).optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  NEXTAUTH_URL: z.url().optional(),
  // Required by the running web app; `npm start` generates one into DATA_DIR on first run.
  NEXTAUTH_SECRET: z.string().min(16).optional(),
  GITHUB_ID: z.string().min(1).optional(),
  GITHUB_SECRET: z.string().min(1).optional(),
  // Sign-in attempts allowed per window: per account (guessing one password), and per client IP (guessing
  // many accounts; higher, as an office or a lab shares one address).
  SIGNIN_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(10),
  SIGNIN_MAX_ATTEMPTS_PER_IP: z.coerce.number().int().min(1).default(100),
  // Failed sign-ins on one account (from every address) per window before addresses that failed on it get
  // one attempt per window; an address without failures always gets its attempt. Unset: 10 × SIGNIN_MAX_ATTEMPTS.
  SIGNIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).optional(),
  SIGNIN_WINDOW_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(15 * 60),
  // Graph bodies: a local directory (DATA_DIR/blobs) unless S3_BUCKET names an S3-compatible bucket.
  S3_BUCKET: z.string().min(3).optional(),
  S3_ENDPOINT: z.url().optional(),
  S3_REGION: z.string().default("us-east-1"),
  S3_PREFIX: z.string().default(""),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: z
    .enum(["true", "false", "1", "0"])
    .default("true")
    .transform((v) => v === "true" || v === "1"),
  // Largest graph file accepted by upload and the API.
  MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(200 * 1024 * 1024),
  // Shared secret of the GPU workers (Authorization: Bearer on /api/worker/*). Unset: the worker API is off.
  // `npm start` generates one into DATA_DIR and hands it to the worker it starts.
  WORKER_TOKEN: z.string().min(24, "WORKER_TOKEN: at least 24 characters").optional(),
  // How many reverse proxies in front of the app append to X-Forwarded-For. 0 (default): the client is
  // the socket's peer and X-Forwarded-For is ignored; N: the N-th address from the right (the one the
  // outermost trusted proxy saw). Anything further left was written by the client and is never trusted.
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  // Site administrators (moderation, worker tokens): comma-separated emails, compared case-insensitively.
  ADMIN_EMAILS: z
    .string()
    .default("")
    .transform((s) =>
      s
        .split(",")
        .map((e) => e.trim().toLowerCase())
        .filter(Boolean),
    ),
  // A worker's lease on a job: it renews it every third of this by heartbeat; a dead worker's job is
  // claimable again after it. Tests use a short one.
  JOB_LEASE_SECONDS: z.coerce.number().int().min(2).max(3600).default(60),
  // Queued + running jobs (previews excluded, system jobs excluded) one user, and one workspace, may have.
  JOB_MAX_ACTIVE_PER_USER: z.coerce.number().int().min(1).max(10_000).default(5),
  // How long the prompt box's next-token preview waits for a worker before it says "workers busy".
  JOB_PREVIEW_WAIT_MS: z.coerce.number().int().min(10).max(60_000).default(4000),
  JOB_MAX_ACTIVE_PER_WORKSPACE: z.coerce.number().int().min(1).max(100_000).default(20),
  // Largest tRPC request body (a batch of calls); bigger requests are refused with 413 before parsing.
  TRPC_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  // Calls per tRPC batch request (the browser client batches at most this many).
  TRPC_MAX_BATCH: z.coerce.number().int().min(1).max(1000).default(10),
  // Graph parsing and export run in a pool of worker threads, never on the request thread: at most
  // GRAPH_WORKERS at once, at most GRAPH_QUEUE_LIMIT waiting; past that, 503 with Retry-After.
  GRAPH_WORKERS: z.coerce.number().int().min(1).max(64).default(2),
  GRAPH_QUEUE_LIMIT: z.coerce.number().int().min(0).max(10_000).default(8),
  // Comments (new threads, replies and edits) allowed per user per window.
  COMMENT_MAX_PER_WINDOW: z.coerce.number().int().min(1).default(30),
  COMMENT_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
  // Mail: SMTP through nodemailer when SMTP_URL is set (smtp://user:pass@host:587, smtps://…:465);
  // otherwise the dev outbox, DATA_DIR/outbox/*.eml, with each mail's links printed on the console.
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "SMTP_URL: must start with smtp:// or smtps://")
    .optional(),
  // The sender of every mail; default "Circuitboard <no-reply@HOST>" with HOST from NEXTAUTH_URL.
  MAIL_FROM: z.string().min(3).optional(),
  VERIFY_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(48),
  RESET_TTL_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .default(60),
  // Sign-ups, password-reset requests and verification resends allowed per client IP per window, and mails
  // to one address per window (past that, mail to it is dropped silently: the answer must not change).
  SIGNUP_MAX_PER_IP: z.coerce.number().int().min(1).default(20),
  MAIL_MAX_PER_ADDRESS: z.coerce.number().int().min(1).default(5),
  SIGNUP_WINDOW_SECONDS: z.coerce.number().int().min(1).default(3600),
  INVITE_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(7 * 24),
});
export type TEnv = Omit<z.infer<typeof ZEnvSchema>, "DATABASE_URL"> & { DATABASE_URL: string };

let cached: TEnv | undefined;

export function env(): TEnv {
  if (!cached) {
    // Empty strings mean "unset", as in create-t3-app's emptyStringAsUndefined.
    const raw = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== ""));
    const parsed = ZEnvSchema.safeParse(raw);
    if (!parsed.success) {
      const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
      throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
    }
    const data = parsed.data;
    cached = { ...data, DATABASE_URL: data.DATABASE_URL ?? defaultDatabaseUrl(data.DATA_DIR) };
  }
  return cached;
}

/** DATA_DIR holds the SQLite file unless DATABASE_URL says otherwise (two DATA_DIRs: two databases). */
export function defaultDatabaseUrl(dataDir: string): string {
  return `file:${join(dataDir, "circuitboard.db")}`;
}

export function isGithubEnabled(): boolean {
  const e = env();
  return Boolean(e.GITHUB_ID && e.GITHUB_SECRET);
}

/** An absolute URL of the app (NEXTAUTH_URL, else http://localhost:PORT) for links that leave it (mail). */
export function appUrl(path: string): string {
  const e = env();
  const base = (e.NEXTAUTH_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, "");
  return `${base}${path.startsWith("/") ? path : `/${path}`}`;
}

/** Sign-in attempt limits (server/services/auth/users.ts `SignInLimits`). */
export function signInLimits() {
  const e = env();
  return {
    maxAttempts: e.SIGNIN_MAX_ATTEMPTS,
    maxAttemptsPerIp: e.SIGNIN_MAX_ATTEMPTS_PER_IP,
    ...(e.SIGNIN_MAX_FAILURES_PER_ACCOUNT ? { maxFailuresPerAccount: e.SIGNIN_MAX_FAILURES_PER_ACCOUNT } : {}),
    windowSeconds: e.SIGNIN_WINDOW_SECONDS,
  };
}

/** Limits on sign-ups, reset requests and mails per address (server/services/auth/abuse-limits.ts). */
export function abuseLimits() {
  const e = env();
  return {
    maxPerIp: e.SIGNUP_MAX_PER_IP,
    maxMailsPerAddress: e.MAIL_MAX_PER_ADDRESS,
    windowSeconds: e.SIGNUP_WINDOW_SECONDS,
  };
}
