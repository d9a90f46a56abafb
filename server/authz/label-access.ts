/**
 * Who may see and change feature labels, votes and occurrences. A label's scope is a workspace (its members)
 * or public (workspaceId null: every signed-in user). The answers:
 *   signed out                                   UNAUTHORIZED
 *   workspace scope, caller not a member         NOT_FOUND (the workspace and its labels do not exist for them)
 *   member below the action's minimum role       FORBIDDEN (policy.ts WORKSPACE_ACTIONS label.*)
 *   public scope: read, propose, vote            any signed-in user
 *   public scope: hide                           site admins only (ADMIN_EMAILS), else FORBIDDEN
 * Occurrences ("which graphs contain this feature") are visible through the graphs a reader may list: the
 * workspaces they are a member of, and public graphs.
 */
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { assertMayPerform, mayPerform, type WorkspaceAction } from "./policy";
import { isRole } from "./roles";
import { isSiteAdmin } from "./site-admin";

export type LabelAction = Extract<WorkspaceAction, "label.read" | "label.propose" | "label.vote" | "label.hide">;

/** Checks `action` in a scope (workspaceId null: public) and returns the scope's workspace id. */
export async function authorizeLabelScope(
  db: Db,
  userId: string | null,
  workspaceId: string | null,
  action: LabelAction,
): Promise<{ workspaceId: string | null }> {
  if (!userId) throw new AppError("UNAUTHORIZED", "Sign in first");
  if (workspaceId === null) {
    if (action === "label.hide") {
      const user = await db.user.findUnique({ where: { id: userId }, select: { email: true } });
      if (!isSiteAdmin(user?.email)) throw new AppError("FORBIDDEN", "Only site admins hide public labels");
    }
    return { workspaceId: null };
  }
  const membership = await db.membership.findUnique({
    where: { workspaceId_userId: { workspaceId, userId } },
    select: { role: true },
  });
  const role = membership?.role ?? null;
  if (role !== null && !isRole(role)) throw new Error(`corrupt role "${role}" in membership`);
  assertMayPerform(role, action);
  return { workspaceId };
}

/** Which scopes' labels a user may hide: the workspaces they administer, and public when a site admin. */
export async function hideableScopes(db: Db, userId: string): Promise<{ workspaceIds: string[]; isPublic: boolean }> {
  const [memberships, user] = await Promise.all([
    db.membership.findMany({ where: { userId }, select: { workspaceId: true, role: true } }),
    db.user.findUnique({ where: { id: userId }, select: { email: true } }),
  ]);
  return {
    workspaceIds: memberships
      .filter((m) => isRole(m.role) && mayPerform(m.role, "label.hide"))
      .map((m) => m.workspaceId),
    isPublic: isSiteAdmin(user?.email),
  };
}

/** The workspaces whose labels and graphs a user reads (every membership: each role may read). */
export async function readableWorkspaceIds(db: Db, userId: string): Promise<string[]> {
  const rows = await db.membership.findMany({ where: { userId }, select: { workspaceId: true } });
  return rows.map((r) => r.workspaceId);
}

/** A Prisma filter on Graph: the graphs a user may find by their contents (members' graphs and public ones). */
export function graphsInReach(workspaceIds: readonly string[]) {
  return { OR: [{ workspaceId: { in: [...workspaceIds] } }, { visibility: "public" }] };
}

/** A Prisma filter on Label: the scopes a user reads (public, and their workspaces). */
export function labelsInReach(workspaceIds: readonly string[]) {
  return { OR: [{ workspaceId: null }, { workspaceId: { in: [...workspaceIds] } }] };
}
