/**
 * Revocable sessions. Sessions are JWTs (next-auth) and cannot be recalled one by one, so each user has a
 * session epoch: a token carries the epoch it was issued in, an API key the epoch it was created in, and
 * both are accepted only while it is still the user's epoch. "Sign out everywhere", a password change and a
 * password reset move it on, which ends every session and key at their next request.
 */
import type { Db } from "../../db/client";
import type { SessionUser } from "./users";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/** The user behind a session token, or null when the account is gone or the token's epoch has passed. */
export async function getUserForSession(
  db: Db,
  { userId, sessionEpoch }: { userId: string; sessionEpoch: unknown },
): Promise<SessionUser | null> {
  // A token without an epoch was issued before epochs existed: it is treated as revoked.
  if (typeof sessionEpoch !== "number") return null;
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, name: true, sessionEpoch: true },
  });
  if (!user || user.sessionEpoch !== sessionEpoch) return null;
  return { id: user.id, email: user.email, name: user.name };
}

/** Ends every session and API key of the user (inside the caller's transaction). */
export async function endAllSessions(tx: Tx | Db, userId: string): Promise<void> {
  await tx.user.update({ where: { id: userId }, data: { sessionEpoch: { increment: 1 } } });
  await tx.apiKey.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
}

/** "Sign out everywhere": this browser too (it signs in again to continue). */
export async function signOutEverywhere(db: Db, { actor }: { actor: { id: string } }) {
  await db.$transaction((tx) => endAllSessions(tx, actor.id));
  return { isSignedOut: true as const };
}
