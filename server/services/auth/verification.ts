/**
 * Email verification: a new account is mailed a single-use link (/verify/<token>); following it marks the
 * address verified. Until then the user may sign in, use their personal workspace and accept link
 * invitations, but email invitations stay hidden and GitHub sign-ins do not link to the account.
 */
import type { Db } from "../../db/client";
import { AppError } from "../../errors";
import type { Mailer } from "../../mail/mailer";
import { verifyEmailMail } from "../../mail/templates";
import { mayMailAddress, type AbuseLimits } from "./abuse-limits";
import { findUsableEmailToken, issueEmailToken } from "./email-tokens";

export async function isEmailVerified(db: Db, userId: string): Promise<boolean> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { emailVerifiedAt: true } });
  return Boolean(user?.emailVerifiedAt);
}

/** Follows a verification link. Anyone holding the link may use it: the mailbox is the proof. */
export async function verifyEmail(db: Db, { token }: { token: string }) {
  const row = await findUsableEmailToken(db, { token, purpose: "verify" });
  const now = new Date();
  await db.$transaction(async (tx) => {
    // Single use even when two requests race: only the one that flips usedAt goes on.
    const used = await tx.emailToken.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: now } });
    if (used.count !== 1)
      throw new AppError("NOT_FOUND", "token: this verification link has already been used", { path: "token" });
    await tx.user.update({ where: { id: row.userId }, data: { emailVerifiedAt: row.user.emailVerifiedAt ?? now } });
  });
  return { email: row.email };
}

/** Mails the signed-in user a new verification link (the banner's "resend"). */
export async function resendVerification(
  db: Db,
  mailer: Mailer,
  { actor, limits, ttlHours }: { actor: { id: string }; limits: AbuseLimits; ttlHours: number },
) {
  const user = await db.user.findUnique({ where: { id: actor.id } });
  if (!user) throw new AppError("UNAUTHORIZED", "Sign in first");
  if (user.emailVerifiedAt) return { email: user.email, isAlreadyVerified: true }; // e.g. a stale banner
  // The owner asks here, so a refusal can say so (nothing to hide from them).
  if (!(await mayMailAddress(db, { email: user.email, limits }))) {
    throw new AppError("RATE_LIMITED", "Too many mails to your address recently; try again later");
  }
  const token = await issueEmailToken(db, {
    userId: user.id,
    email: user.email,
    purpose: "verify",
    ttlMs: ttlHours * 3600_000,
  });
  await mailer.send({
    to: user.email,
    ...verifyEmailMail({ name: user.name, url: mailer.url(`/verify/${token}`), ttlHours }),
  });
  return { email: user.email, isAlreadyVerified: false };
}
