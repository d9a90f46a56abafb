/**
 * Resolves a workspace for a user and checks an action against the policy in one step, so a service
 * cannot load a workspace without deciding access. Non-members get NOT_FOUND (see policy.ts).
 */
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { assertMayPerform, type WorkspaceAction } from "./policy";
import { isRole, type Role } from "./roles";

export type WorkspaceRef = { slug: string } | { id: string };

export interface WorkspaceAccess {
  workspace: { id: string; slug: string; name: string; personalForUserId: string | null; createdAt: Date };
  role: Role;
}

export async function authorizeWorkspace(
  db: Db,
  userId: string,
  ref: WorkspaceRef,
  action: WorkspaceAction,
): Promise<WorkspaceAccess> {
  const workspace = await db.workspace.findUnique({
    where: "slug" in ref ? { slug: ref.slug } : { id: ref.id },
    include: { members: { where: { userId }, select: { role: true } } },
  });
  const stored = workspace?.members[0]?.role ?? null;
  if (stored !== null && !isRole(stored)) throw new Error(`corrupt role "${stored}" in membership`);
  assertMayPerform(stored, action);
  if (!workspace || stored === null) throw new AppError("NOT_FOUND", "Workspace not found");
  const { members: _members, ...rest } = workspace;
  return { workspace: rest, role: stored };
}
