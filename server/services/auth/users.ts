/**
 * Accounts: sign-up with email + password (answered the same whether or not the address is taken),
 * credential checks for sign-in (rate-limited per account and per IP), and find-or-create for OAuth
 * sign-ins. Every new user gets a personal workspace; a new address is unverified until its owner follows
 * the mailed link (./verification.ts).
 */
import { z } from "zod";
import type { Db } from "../../db/client";
import { AppError, isUniqueViolation } from "../../errors";
import type { Mailer } from "../../mail/mailer";
import { accountExistsMail, verifyEmailMail } from "../../mail/templates";
import { createUserWithPersonalWorkspace, personalSlugSource } from "../workspaces";
import { assertIpWithinLimit, mayMailAddress, type AbuseLimits } from "./abuse-limits";
import { issueEmailToken } from "./email-tokens";
import { hashPassword, verifyPassword } from "./password";
import { consumeRateLimit, peekRateLimit, resetRateLimit } from "./rate-limit";
import { checkPasswordStrength, ZPasswordFieldSchema } from "./password-policy";

export const ZEmailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: "email: enter a valid email address" }).max(254));

export const ZNameSchema = z.string().trim().min(1, "name: enter your name").max(100, "name: at most 100 characters");

export const ZSignUpSchema = z
  .object({ email: ZEmailSchema, name: ZNameSchema, password: ZPasswordFieldSchema })
  .superRefine((v, ctx) =>
    checkPasswordStrength(ctx, { field: "password", password: v.password, userInputs: [v.email, v.name] }),
  );
export type TSignUp = z.input<typeof ZSignUpSchema>;

export interface SessionUser {
  id: string;
  email: string;
  name: string;
}

/** What sign-up and reset requests answer, always: nothing in it depends on the address. */
export const CHECK_YOUR_MAIL = { status: "check-your-mail" } as const;

const SESSION_USER = { id: true, email: true, name: true } as const;

/**
 * Creates an account and its personal workspace together (one transaction: never one without the other).
 * No policy check: callers validate (the seed uses it for the demo user). A taken address or GitHub id
 * throws the database's unique violation (`isUniqueViolation`).
 */
export async function createUser(
  db: Db,
  data: { email: string; name: string; passwordHash?: string; githubId?: string; emailVerifiedAt?: Date },
): Promise<SessionUser> {
  return createUserWithPersonalWorkspace(
    db,
    (tx) => tx.user.create({ data, select: SESSION_USER }),
    personalSlugSource(data),
  );
}

export interface SignUpOptions {
  ip: string;
  limits: AbuseLimits;
  verifyTtlHours: number;
}

/**
 * Sign-up. A new address gets an account and a verification mail; a taken one gets nothing new, and its
 * owner gets a mail saying so. The answer is CHECK_YOUR_MAIL either way, the password is hashed either way
 * (same work, so about the same time), and mail goes out in the background.
 */
export async function signUp(
  db: Db,
  mailer: Mailer,
  raw: TSignUp,
  { ip, limits, verifyTtlHours }: SignUpOptions,
): Promise<typeof CHECK_YOUR_MAIL> {
  const input = ZSignUpSchema.parse(raw); // normalises the email for callers other than tRPC (tests)
  await assertIpWithinLimit(db, { action: "signup", ip, limits });
  const passwordHash = await hashPassword(input.password);
  let user: SessionUser | null = null;
  if (!(await db.user.findUnique({ where: { email: input.email }, select: { id: true } }))) {
    user = await createUser(db, { email: input.email, name: input.name, passwordHash }).catch((e: unknown) => {
      if (isUniqueViolation(e)) return null; // taken meanwhile by a concurrent sign-up: answered as taken
      throw e;
    });
  }
  if (user) {
    const created = user;
    mailer.sendLater(async () => {
      if (!(await mayMailAddress(db, { email: created.email, limits }))) return null;
      const token = await issueEmailToken(db, {
        userId: created.id,
        email: created.email,
        purpose: "verify",
        ttlMs: verifyTtlHours * 3600_000,
      });
      const url = mailer.url(`/verify/${token}`);
      return { to: created.email, ...verifyEmailMail({ name: created.name, url, ttlHours: verifyTtlHours }) };
    });
  } else {
    mailer.sendLater(async () => {
      const owner = await db.user.findUnique({ where: { email: input.email }, select: SESSION_USER });
      if (!owner || !(await mayMailAddress(db, { email: owner.email, limits }))) return null;
      return {
        to: owner.email,
        ...accountExistsMail({ name: owner.name, signInUrl: mailer.url("/signin"), resetUrl: mailer.url("/reset") }),
      };
    });
  }
  return { ...CHECK_YOUR_MAIL };
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

/** A signed-in user as the session token records it: who, and in which session epoch. */
export interface SignedInUser extends SessionUser {
  sessionEpoch: number;
}

/**
 * Checks an email + password. Throws SIGNIN_RATE_LIMITED (429) past the limits, UNAUTHORIZED when wrong.
 * The counters are taken BEFORE the password is checked, atomically (server/services/auth/rate-limit.ts),
 * so parallel attempts cannot run more password checks than the limit allows.
 */
export async function verifyCredentials(
  db: Db,
  { email, password, ip, limits }: { email: string; password: string; ip: string; limits: SignInLimits },
): Promise<SignedInUser> {
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
  return { id: user.id, email: user.email, name: user.name, sessionEpoch: user.sessionEpoch };
}

const UNVERIFIED_LINK =
  "An account with your GitHub email exists but its address is not verified. Sign in with its password and verify the address (or reset the password by mail), then sign in with GitHub.";

/** Why a GitHub sign-in would be refused by findOrCreateOAuthUser (null: it would succeed). */
export async function oauthSignInRefusal(db: Db, { githubId, email }: { githubId: string; email: string }) {
  if (await db.user.findUnique({ where: { githubId }, select: { id: true } })) return null;
  const byEmail = await db.user.findUnique({
    where: { email: email.trim().toLowerCase() },
    select: { emailVerifiedAt: true },
  });
  return byEmail && !byEmail.emailVerifiedAt ? UNVERIFIED_LINK : null;
}

/**
 * OAuth sign-in (GitHub): the user with this GitHub id, else the one with this email, else a new one.
 * Linking to an existing account by email requires that account's address to be verified: otherwise
 * whoever signed up first with someone else's address would receive their GitHub sign-ins.
 */
export async function findOrCreateOAuthUser(
  db: Db,
  { githubId, email, name }: { githubId: string; email: string; name: string },
): Promise<SignedInUser> {
  const select = { ...SESSION_USER, sessionEpoch: true, emailVerifiedAt: true } as const;
  const strip = ({ emailVerifiedAt: _, ...u }: { emailVerifiedAt: Date | null } & SignedInUser) => u;
  const byGithub = await db.user.findUnique({ where: { githubId }, select });
  if (byGithub) return strip(byGithub);
  const normalised = email.trim().toLowerCase();
  const byEmail = await db.user.findUnique({ where: { email: normalised }, select });
  if (byEmail) {
    if (!byEmail.emailVerifiedAt) throw new AppError("FORBIDDEN", UNVERIFIED_LINK);
    return strip(await db.user.update({ where: { id: byEmail.id }, data: { githubId }, select }));
  }
  try {
    return { ...(await createUser(db, { email: normalised, name, githubId })), sessionEpoch: 0 };
  } catch (e) {
    // A parallel first sign-in of the same GitHub account made it.
    const made = isUniqueViolation(e) ? await db.user.findUnique({ where: { githubId }, select }) : null;
    if (made) return strip(made);
    throw e;
  }
}

export async function getUser(db: Db, userId: string): Promise<SessionUser | null> {
  return db.user.findUnique({ where: { id: userId }, select: SESSION_USER });
}
