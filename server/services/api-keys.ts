/**
 * Personal API keys, accepted as `Authorization: Bearer cb_…` on the API. The key is shown once at
 * creation; the database keeps its SHA-256 digest and an 11-character prefix for the list.
 */
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { digestSecret, newSecret } from "./secret-token";
import type { SessionUser } from "./auth/users";
import type { Actor } from "../authz/actor";

export const API_KEY_PREFIX = "cb_";
const MAX_KEYS_PER_USER = 50;

export async function createApiKey(db: Db, { actor, name }: { actor: Actor; name: string }) {
  const active = await db.apiKey.count({ where: { userId: actor.id, revokedAt: null } });
  if (active >= MAX_KEYS_PER_USER)
    throw new AppError("CONFLICT", `You already have ${MAX_KEYS_PER_USER} active keys; revoke one first`);
  const owner = await db.user.findUnique({ where: { id: actor.id }, select: { sessionEpoch: true } });
  if (!owner) throw new AppError("UNAUTHORIZED", "Sign in first");
  const key = newSecret(API_KEY_PREFIX);
  const row = await db.apiKey.create({
    data: {
      userId: actor.id,
      name,
      prefix: key.slice(0, 11),
      hash: digestSecret(key),
      sessionEpoch: owner.sessionEpoch,
    },
  });
  return { id: row.id, name: row.name, prefix: row.prefix, createdAt: row.createdAt, key };
}

export async function listApiKeys(db: Db, { actor }: { actor: Actor }) {
  return db.apiKey.findMany({
    where: { userId: actor.id },
    select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true },
    orderBy: { createdAt: "desc" },
  });
}

export async function revokeApiKey(db: Db, { actor, keyId }: { actor: Actor; keyId: string }) {
  const row = await db.apiKey.findFirst({ where: { id: keyId, userId: actor.id } });
  if (!row) throw new AppError("NOT_FOUND", "keyId: no such API key");
  await db.apiKey.update({ where: { id: row.id }, data: { revokedAt: row.revokedAt ?? new Date() } });
  return { id: row.id };
}

/**
 * The user a bearer key belongs to, or null when the key is unknown, revoked, or from a session epoch
 * that has passed ("sign out everywhere" and password changes end keys too; see auth/sessions.ts).
 */
export async function authenticateApiKey(db: Db, key: string): Promise<SessionUser | null> {
  if (!key.startsWith(API_KEY_PREFIX)) return null;
  const row = await db.apiKey.findUnique({
    where: { hash: digestSecret(key) },
    include: { user: { select: { id: true, email: true, name: true, sessionEpoch: true } } },
  });
  if (!row || row.revokedAt || row.sessionEpoch !== row.user.sessionEpoch) return null;
  await db.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  return { id: row.user.id, email: row.user.email, name: row.user.name };
}
