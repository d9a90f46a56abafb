/**
 * Single-use, expiring links mailed to a user: address verification and password reset. The token
 * (192 random bits) appears only in the mail; the database keeps its SHA-256 digest, like API keys.
 */
import type { Db } from "../../db/client";
import { AppError } from "../../errors";
import { digestSecret, newSecret } from "../secret-token";

export type EmailTokenPurpose = "verify" | "reset";
const PREFIX: Record<EmailTokenPurpose, string> = { verify: "ev_", reset: "pr_" };
const WHAT: Record<EmailTokenPurpose, string> = { verify: "verification link", reset: "password-reset link" };

export async function issueEmailToken(
  db: Db,
  { userId, email, purpose, ttlMs }: { userId: string; email: string; purpose: EmailTokenPurpose; ttlMs: number },
): Promise<string> {
  const token = newSecret(PREFIX[purpose], 24);
  await db.emailToken.create({
    data: { userId, email, purpose, tokenHash: digestSecret(token), expiresAt: new Date(Date.now() + ttlMs) },
  });
  return token;
}

/** The token's row with its user, or NOT_FOUND saying why it cannot be used (unknown, used, expired). */
export async function findUsableEmailToken(db: Db, { token, purpose }: { token: string; purpose: EmailTokenPurpose }) {
  const row = token.startsWith(PREFIX[purpose])
    ? await db.emailToken.findUnique({
        where: { tokenHash: digestSecret(token) },
        include: { user: { select: { id: true, email: true, name: true, emailVerifiedAt: true } } },
      })
    : null;
  if (!row || row.purpose !== purpose)
    throw new AppError("NOT_FOUND", `token: this ${WHAT[purpose]} is not valid`, { path: "token" });
  if (row.usedAt)
    throw new AppError("NOT_FOUND", `token: this ${WHAT[purpose]} has already been used`, { path: "token" });
  if (row.expiresAt <= new Date()) {
    throw new AppError("NOT_FOUND", `token: this ${WHAT[purpose]} has expired; ask for a new one`, { path: "token" });
  }
  if (row.email !== row.user.email) {
    throw new AppError("NOT_FOUND", `token: this ${WHAT[purpose]} was for an address this account no longer has`, {
      path: "token",
    });
  }
  return row;
}
