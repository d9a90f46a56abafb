/**
 * Site administrators: the people named in ADMIN_EMAILS (moderation of public labels and comments, worker
 * tokens). Not a workspace role: a site admin has no access to private workspaces through this.
 */
import { env } from "../env";

/** Whether `email` (any case, surrounding spaces ignored) is listed in ADMIN_EMAILS. */
export function isSiteAdmin(email: string | null | undefined, adminEmails: readonly string[] = env().ADMIN_EMAILS) {
  if (!email) return false;
  return adminEmails.includes(email.trim().toLowerCase());
}
