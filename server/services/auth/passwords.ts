/**
 * Password reset by mail and password change in Settings. Both end every other session and API key
 * (./sessions.ts); a reset also proves the address, so it marks it verified.
 */
import { z } from "zod";
import type { Db } from "../../db/client";
import { AppError } from "../../errors";
import type { Mailer } from "../../mail/mailer";
import { resetPasswordMail } from "../../mail/templates";
import { assertIpWithinLimit, mayMailAddress, type AbuseLimits } from "./abuse-limits";
import { findUsableEmailToken, issueEmailToken } from "./email-tokens";
import { hashPassword, verifyPassword } from "./password";
import { passwordWeakness, ZPasswordFieldSchema } from "./password-policy";
import { consumeRateLimit } from "./rate-limit";
import { endAllSessions } from "./sessions";
import { CHECK_YOUR_MAIL, type SignInLimits } from "./users";

export const ZResetTokenSchema = z.string().min(8, "token: not a password-reset token").max(200);

/**
 * Mails a reset link when the address has an account, nothing otherwise; the answer is the same and
 * immediate in both cases (the lookup and the mail happen in the background).
 */
export async function requestPasswordReset(
  db: Db,
  mailer: Mailer,
  { email, ip, limits, ttlMinutes }: { email: string; ip: string; limits: AbuseLimits; ttlMinutes: number },
): Promise<typeof CHECK_YOUR_MAIL> {
  await assertIpWithinLimit(db, { action: "reset", ip, limits });
  mailer.sendLater(async () => {
    const user = await db.user.findUnique({ where: { email } });
    if (!user || !(await mayMailAddress(db, { email, limits }))) return null;
    const token = await issueEmailToken(db, {
      userId: user.id,
      email: user.email,
      purpose: "reset",
      ttlMs: ttlMinutes * 60_000,
    });
    return {
      to: user.email,
      ...resetPasswordMail({ name: user.name, url: mailer.url(`/reset/${token}`), ttlMinutes }),
    };
  });
  return { ...CHECK_YOUR_MAIL };
}

function assertStrong(field: string, password: string, user: { email: string; name: string }) {
  const parsed = ZPasswordFieldSchema.safeParse(password);
  const weakness = parsed.success
    ? passwordWeakness(password, [user.email, user.name])
    : parsed.error.issues[0]!.message;
  if (weakness) throw new AppError("BAD_REQUEST", `${field}: ${weakness}`, { path: field });
}

/** Sets a new password through a reset link; returns the address so the page can sign in with it. */
export async function resetPassword(db: Db, { token, password }: { token: string; password: string }) {
  const row = await findUsableEmailToken(db, { token, purpose: "reset" });
  assertStrong("password", password, row.user);
  const passwordHash = await hashPassword(password);
  const now = new Date();
  await db.$transaction(async (tx) => {
    const used = await tx.emailToken.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: now } });
    if (used.count !== 1)
      throw new AppError("NOT_FOUND", "token: this password-reset link has already been used", { path: "token" });
    // Any other reset link sent earlier stops working too.
    await tx.emailToken.updateMany({
      where: { userId: row.userId, purpose: "reset", usedAt: null },
      data: { usedAt: now },
    });
    await tx.user.update({
      where: { id: row.userId },
      data: { passwordHash, emailVerifiedAt: row.user.emailVerifiedAt ?? now },
    });
    await endAllSessions(tx, row.userId);
  });
  return { email: row.email };
}

/** Changes the password of the signed-in user, who must know the current one. */
export async function changePassword(
  db: Db,
  {
    actor,
    currentPassword,
    newPassword,
    limits,
  }: { actor: { id: string }; currentPassword: string; newPassword: string; limits: SignInLimits },
) {
  const user = await db.user.findUnique({ where: { id: actor.id } });
  if (!user) throw new AppError("UNAUTHORIZED", "Sign in first");
  if (!user.passwordHash) {
    throw new AppError(
      "BAD_REQUEST",
      "currentPassword: your account has no password yet (GitHub sign-in); set one with “Forgot your password?” on the sign-in page",
    );
  }
  // A stolen session must not be able to guess the current password at leisure.
  const r = await consumeRateLimit(db, {
    key: `password-change:${user.id}`,
    max: limits.maxAttempts,
    windowSeconds: limits.windowSeconds,
  });
  if (!r.isAllowed) {
    throw new AppError("RATE_LIMITED", "Too many attempts; try again later", {
      retryAfterSeconds: r.retryAfterSeconds,
    });
  }
  if (!(await verifyPassword(user.passwordHash, currentPassword))) {
    throw new AppError("BAD_REQUEST", "currentPassword: that is not your current password", {
      path: "currentPassword",
    });
  }
  assertStrong("newPassword", newPassword, user);
  const passwordHash = await hashPassword(newPassword);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    await endAllSessions(tx, user.id);
  });
  return { email: user.email };
}
