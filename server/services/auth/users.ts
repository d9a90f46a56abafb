/**
 * Accounts: sign-up with email + password, credential checks for sign-in (rate-limited per account and
 * per IP), and find-or-create for OAuth sign-ins. Every new user gets a personal workspace.
 */
import { z } from "zod";
import type { Db } from "../../db/client";
import { AppError, isUniqueViolation } from "../../errors";
import { createUserWithPersonalWorkspace, personalSlugSource } from "../workspaces";
import { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from "./password";
import { consumeRateLimit, peekRateLimit, resetRateLimit } from "./rate-limit";

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

const EMAIL_TAKEN = () =>
  new AppError("EMAIL_TAKEN", "email: an account with this email already exists; sign in instead", { path: "email" });

/** A new account and its personal workspace, created together (one transaction): never one without the other. */
export async function signUp(db: Db, raw: TSignUp): Promise<SessionUser> {
  const input = ZSignUpSchema.parse(raw); // normalises the email for callers other than tRPC (seed, tests)
  if (await db.user.findUnique({ where: { email: input.email }, select: { id: true } })) throw EMAIL_TAKEN();
  const passwordHash = await hashPassword(input.password);
  try {
    return await createUserWithPersonalWorkspace(
      db,
      (tx) =>
        tx.user.create({
          data: { email: input.email, name: input.name, passwordHash },
          select: { id: true, email: true, name: true },
        }),
      personalSlugSource(input),
    );
  } catch (e) {
    // Two sign-ups with one address at the same moment: the second is told, as if it had come later.
    if (isUniqueViolation(e) && (await db.user.findUnique({ where: { email: input.email }, select: { id: true } }))) {
      throw EMAIL_TAKEN();
    }
    throw e;
  }
}

export interface SignInLimits {
  /** Attempts per (account, client IP) per window: one address guessing one password. */
  maxAttempts: number;
  /** Attempts per client IP per window: one address guessing many accounts. */
  maxAttemptsPerIp: number;
  /**
   * Failed attempts per account (from every address) per window before the account is slowed: past it,
   * each address that has already failed on the account gets one attempt per window, while an address
   * with no failures still gets its attempt, so the owner signing in from their own machine is never
   * locked out by someone else's guessing. Defaults to 10 × maxAttempts.
   */
  maxFailuresPerAccount?: number;
  windowSeconds: number;
}

/**
 * Checks an email + password. Throws SIGNIN_RATE_LIMITED (429) past the limits, UNAUTHORIZED when wrong.
 * The counters are taken BEFORE the password is checked, atomically (server/services/auth/rate-limit.ts),
 * so parallel attempts cannot run more password checks than the limit allows.
 */
export async function verifyCredentials(
  db: Db,
  { email, password, ip, limits }: { email: string; password: string; ip: string; limits: SignInLimits },
): Promise<SessionUser> {
  const account = email.trim().toLowerCase();
  const windowSeconds = limits.windowSeconds;
  const accountKey = `signin:account:${account}`;
  const pairKey = `signin:pair:${account}:${ip}`;
  const maxFailuresPerAccount = limits.maxFailuresPerAccount ?? limits.maxAttempts * 10;
  const isSlowed = (await peekRateLimit(db, { key: accountKey, windowSeconds })) >= maxFailuresPerAccount;
  const buckets = [
    { key: pairKey, max: isSlowed ? 1 : limits.maxAttempts },
    { key: `signin:ip:${ip}`, max: limits.maxAttemptsPerIp },
  ];
  for (const { key, max } of buckets) {
    const r = await consumeRateLimit(db, { key, max, windowSeconds });
    if (!r.isAllowed) {
      const minutes = Math.ceil(r.retryAfterSeconds / 60);
      throw new AppError(
        "SIGNIN_RATE_LIMITED",
        `Too many sign-in attempts; try again in ${minutes} minute${minutes === 1 ? "" : "s"}`,
        { retryAfterSeconds: r.retryAfterSeconds },
      );
    }
  }
  const user = await db.user.findUnique({ where: { email: account } });
  // Same message whether the account exists or not, so sign-in cannot be used to probe for accounts.
  if (!user?.passwordHash || !(await verifyPassword(user.passwordHash, password))) {
    await consumeRateLimit(db, { key: accountKey, max: 2 ** 31 - 1, windowSeconds });
    throw new AppError("UNAUTHORIZED", "Wrong email or password");
  }
  await resetRateLimit(db, pairKey); // this address knows the password: its earlier typos no longer count
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
  try {
    return await createUserWithPersonalWorkspace(
      db,
      (tx) => tx.user.create({ data: { email: normalised, name, githubId }, select }),
      personalSlugSource({ name, email: normalised }),
    );
  } catch (e) {
    // A parallel first sign-in of the same GitHub account made it.
    const made = isUniqueViolation(e) ? await db.user.findUnique({ where: { githubId }, select }) : null;
    if (made) return made;
    throw e;
  }
}

export async function getUser(db: Db, userId: string): Promise<SessionUser | null> {
  return db.user.findUnique({ where: { id: userId }, select: { id: true, email: true, name: true } });
}
