/**
 * Site admins: the users whose email is in ADMIN_EMAILS. They manage worker tokens and see the fleet.
 * (One small place so the trust issue's shared isSiteAdmin can replace it.)
 */
import type { Db } from "../db/client";
import { env } from "../env";
import { AppError } from "../errors";
import type { Actor } from "../authz/actor";

export async function isSiteAdmin(db: Db, actor: Actor): Promise<boolean> {
  const admins = env().ADMIN_EMAILS;
  if (admins.length === 0) return false;
  const user = await db.user.findUnique({ where: { id: actor.id }, select: { email: true } });
  return Boolean(user && admins.includes(user.email.toLowerCase()));
}

export async function assertSiteAdmin(db: Db, actor: Actor): Promise<void> {
  if (!(await isSiteAdmin(db, actor))) throw new AppError("FORBIDDEN", "Only site admins (ADMIN_EMAILS) may do this");
}
