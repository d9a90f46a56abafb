/**
 * The app's configuration: every environment variable it reads, validated once, with its default.
 * Code imports `env()`, never `process.env` (the README's "Configuration" table mirrors this file).
 */
import { LOG_FORMATS, LOG_LEVELS } from "@circuitboard/shared/log";
import { z } from "zod";
import { DEFAULT_DATABASE_URL, providerOf } from "./database-url";

const ZEnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .default(DEFAULT_DATABASE_URL)
    .refine((url) => {
      try {
        providerOf(url);
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
  // Site admins (comma-separated emails): they manage worker tokens and see every worker.
  ADMIN_EMAILS: z
    .string()
    .default("")
    .transform((v) =>
      v
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
  INVITE_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(7 * 24),
});
export type TEnv = z.infer<typeof ZEnvSchema>;

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
    cached = parsed.data;
  }
  return cached;
}

export function isGithubEnabled(): boolean {
  const e = env();
  return Boolean(e.GITHUB_ID && e.GITHUB_SECRET);
}
