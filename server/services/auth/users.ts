/**
 * Accounts: sign-up with email + password, credential checks for sign-in (rate-limited per account and
 * per IP), and find-or-create for OAuth sign-ins. Every new user gets a personal workspace.
 */
import { z } from "zod";
import type { Db } from "../../db/client";
import { AppError } from "../../errors";
import { ensurePersonalWorkspace } from "../workspaces";
import { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from "./password";
import { consumeRateLimit } from "./rate-limit";

export const ZEmailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: "email: enter a valid email address" }).max(254));

export const ZSignUpSchema = z.object({
  email: ZEmailSchema,
  name: z.string().trim().min(1, "name: enter your name").max(100, "name: at most 100 characters"),
  password: z
    .string()
    .min(MIN_PASSWORD_LENGTH, `password: at least ${MIN_PASSWORD_LENGTH} characters`)
    .max(200, "password: at most 200 characters"),
});
export type TSignUp = z.infer<typeof ZSignUpSchema>;

export interface SessionUser {
  id: string;
  email: string;
  name: string;
}

export async function signUp(db: Db, raw: TSignUp): Promise<SessionUser> {
  const input = ZSignUpSchema.parse(raw); // normalises the email for callers other than tRPC (seed, tests)
  const existing = await db.user.findUnique({ where: { email: input.email } });
  if (existing) throw new AppError("CONFLICT", "email: an account with this email already exists; sign in instead");
  const user = await db.user.create({
    data: { email: input.email, name: input.name, passwordHash: await hashPassword(input.password) },
    select: { id: true, email: true, name: true },
  });
  await ensurePersonalWorkspace(db, user);
  return user;
}

export interface SignInLimits {
  /** Attempts per account per window. */
  maxAttempts: number;
  /** Attempts per client IP per window. */
  maxAttemptsPerIp: number;
  windowSeconds: number;
}

/** Checks an email + password. Throws TOO_MANY_REQUESTS past the limits, UNAUTHORIZED when wrong. */
export async function verifyCredentials(
  db: Db,
  { email, password, ip, limits }: { email: string; password: string; ip: string; limits: SignInLimits },
): Promise<SessionUser> {
  const normalised = email.trim().toLowerCase();
  const buckets = [
    { key: `signin:account:${normalised}`, max: limits.maxAttempts },
    { key: `signin:ip:${ip}`, max: limits.maxAttemptsPerIp },
  ];
  for (const { key, max } of buckets) {
    const r = await consumeRateLimit(db, { key, max, windowSeconds: limits.windowSeconds });
    if (!r.isAllowed) {
      const minutes = Math.ceil(r.retryAfterSeconds / 60);
      throw new AppError(
        "TOO_MANY_REQUESTS",
        `Too many sign-in attempts; try again in ${minutes} minute${minutes === 1 ? "" : "s"}`,
      );
    }
  }
  const user = await db.user.findUnique({ where: { email: normalised } });
  // Same message whether the account exists or not, so sign-in cannot be used to probe for accounts.
  if (!user?.passwordHash || !(await verifyPassword(user.passwordHash, password))) {
    throw new AppError("UNAUTHORIZED", "Wrong email or password");
  }
  return { id: user.id, email: user.email, name: user.name };
}

/** OAuth sign-in (GitHub): the user with this GitHub id, else the one with this email, else a new one. */
export async function findOrCreateOAuthUser(
  db: Db,
  { githubId, email, name }: { githubId: string; email: string; name: string },
): Promise<SessionUser> {
  const select = { id: true, email: true, name: true } as const;
  const byGithub = await db.user.findUnique({ where: { githubId }, select });
  if (byGithub) return byGithub;
  const normalised = email.trim().toLowerCase();
  const byEmail = await db.user.findUnique({ where: { email: normalised }, select });
  if (byEmail) return db.user.update({ where: { id: byEmail.id }, data: { githubId }, select });
  const user = await db.user.create({ data: { email: normalised, name, githubId }, select });
  await ensurePersonalWorkspace(db, user);
  return user;
}

export async function getUser(db: Db, userId: string): Promise<SessionUser | null> {
  return db.user.findUnique({ where: { id: userId }, select: { id: true, email: true, name: true } });
}
