/**
 * Who may read feature dashboards. They are model-level facts (a transcoder set's features over a public
 * corpus), not workspace data: every signed-in user may read them. (Case-study readers, who are not signed
 * in, will be let through here too; change this one function and its matrix rows together.) Importing
 * dashboards for a set writes what every user sees: site admins only.
 */
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { isSiteAdmin } from "./site-admin";
import type { Actor } from "./actor";

export function mayReadFeatureDashboards(actor: Actor | null): boolean {
  return actor !== null;
}

export function assertMayReadFeatureDashboards(actor: Actor | null): asserts actor is Actor {
  if (!mayReadFeatureDashboards(actor)) throw new AppError("UNAUTHORIZED", "Sign in to see feature dashboards");
}

export async function assertMayImportFeatureDashboards(db: Db, actor: Actor): Promise<void> {
  const user = await db.user.findUnique({ where: { id: actor.id }, select: { email: true } });
  if (!isSiteAdmin(user?.email))
    throw new AppError("FORBIDDEN", "Only site admins (ADMIN_EMAILS) may import dashboards");
}
