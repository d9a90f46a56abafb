/**
 * Named worker tokens, created by site admins: the secret (cbw_…) is shown once, only its SHA-256 is
 * kept, and a revoked token gets 401 on its next call. The bootstrap WORKER_TOKEN (what `npm start`
 * hands the worker it runs) keeps working beside them.
 */
import { timingSafeEqual } from "node:crypto";
import type { Db } from "../db/client";
import { env } from "../env";
import { AppError } from "../errors";
import { digestSecret, newSecret } from "../services/secret-token";
import type { Actor } from "../authz/actor";
import { assertSiteAdmin } from "../authz/site-admin";
import { unsafeListWorkers, type WorkerIdentity } from "./workers";

export const WORKER_TOKEN_PREFIX = "cbw_";
const MAX_ACTIVE_TOKENS = 500;

export async function createWorkerToken(db: Db, { actor, name }: { actor: Actor; name: string }) {
  await assertSiteAdmin(db, actor);
  const active = await db.workerToken.count({ where: { revokedAt: null } });
  if (active >= MAX_ACTIVE_TOKENS)
    throw new AppError("CONFLICT", `There are already ${MAX_ACTIVE_TOKENS} active worker tokens; revoke one first`);
  const token = newSecret(WORKER_TOKEN_PREFIX);
  const row = await db.workerToken.create({
    data: { name, prefix: token.slice(0, 12), hash: digestSecret(token), createdById: actor.id },
  });
  return { id: row.id, name: row.name, prefix: row.prefix, createdAt: row.createdAt, token };
}

export async function listWorkerTokens(db: Db, { actor }: { actor: Actor }) {
  await assertSiteAdmin(db, actor);
  return db.workerToken.findMany({
    select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true },
    orderBy: { createdAt: "desc" },
  });
}

export async function revokeWorkerToken(db: Db, { actor, tokenId }: { actor: Actor; tokenId: string }) {
  await assertSiteAdmin(db, actor);
  const row = await db.workerToken.findUnique({ where: { id: tokenId } });
  if (!row) throw new AppError("NOT_FOUND", "tokenId: no such worker token");
  await db.workerToken.update({ where: { id: row.id }, data: { revokedAt: row.revokedAt ?? new Date() } });
  return { id: row.id };
}

export async function listWorkers(db: Db, { actor }: { actor: Actor }) {
  await assertSiteAdmin(db, actor);
  return unsafeListWorkers(db);
}

const sameSecret = (a: string, b: string) =>
  timingSafeEqual(Buffer.from(digestSecret(a), "hex"), Buffer.from(digestSecret(b), "hex"));

/**
 * The worker API's authentication: `Authorization: Bearer <token>`, a named token (not revoked) or the
 * bootstrap WORKER_TOKEN. Anything else is 401 and nothing else happens.
 */
export async function authenticateWorker(db: Db, req: Request): Promise<WorkerIdentity> {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.get("authorization") ?? "");
  const presented = match?.[1];
  if (!presented) throw new AppError("UNAUTHORIZED", "Missing worker token (Authorization: Bearer …)");
  if (presented.startsWith(WORKER_TOKEN_PREFIX)) {
    const row = await db.workerToken.findUnique({ where: { hash: digestSecret(presented) } });
    if (!row || row.revokedAt) throw new AppError("UNAUTHORIZED", "Invalid or revoked worker token");
    // lastUsedAt to the minute: one write a minute per token, not one per call.
    if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
      await db.workerToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
    }
    return { tokenId: row.id };
  }
  const bootstrap = env().WORKER_TOKEN;
  if (bootstrap && sameSecret(presented, bootstrap)) return { tokenId: null };
  throw new AppError(
    "UNAUTHORIZED",
    bootstrap ? "Invalid worker token" : "Invalid worker token (WORKER_TOKEN is unset)",
  );
}
