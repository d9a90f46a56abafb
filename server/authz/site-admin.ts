/**
 * Site administrators: the people named in ADMIN_EMAILS (moderation of public labels and comments, worker
 * tokens, the fleet). Not a workspace role: a site admin has no access to private workspaces through this.
 */
import type { Db } from "../db/client";
import { env } from "../env";
import { AppError } from "../errors";
import type { Actor } from "./actor";

/** Whether `email` (any case, surrounding spaces ignored) is listed in ADMIN_EMAILS. */
export function isSiteAdmin(email: string | null | undefined, adminEmails: readonly string[] = env().ADMIN_EMAILS) {
  if (!email) return false;
  return adminEmails.includes(email.trim().toLowerCase());
}

/** Throws FORBIDDEN unless the actor's email is listed in ADMIN_EMAILS. */
export async function assertSiteAdmin(db: Db, actor: Actor): Promise<void> {
  const user = await db.user.findUnique({ where: { id: actor.id }, select: { email: true } });
  if (!isSiteAdmin(user?.email)) throw new AppError("FORBIDDEN", "Only site admins (ADMIN_EMAILS) may do this");
}
