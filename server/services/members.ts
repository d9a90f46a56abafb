/** Workspace members: list, change role, remove. Role rules live in server/authz/policy.ts. */
import { mayAssignRole, mayRemoveMember } from "../authz/policy";
import { isRole, type Role } from "../authz/roles";
import { authorizeWorkspace } from "../authz/workspace-access";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import type { Actor } from "../authz/actor";
import { assertNotLastOwner } from "./workspaces";

export async function listMembers(db: Db, { actor, slug }: { actor: Actor; slug: string }) {
  const { workspace } = await authorizeWorkspace(db, actor.id, { slug }, "member.list");
  const rows = await db.membership.findMany({
    where: { workspaceId: workspace.id },
    include: { user: { select: { id: true, name: true, email: true } } },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((m) => ({
    userId: m.user.id,
    name: m.user.name,
    email: m.user.email,
    role: m.role as Role,
    joinedAt: m.createdAt,
  }));
}

async function targetMembership(db: Db, workspaceId: string, userId: string) {
  const m = await db.membership.findUnique({ where: { workspaceId_userId: { workspaceId, userId } } });
  if (!m || !isRole(m.role)) throw new AppError("NOT_FOUND", "userId: no such member in this workspace");
  return { ...m, role: m.role };
}

export async function changeMemberRole(
  db: Db,
  { actor, slug, userId, role }: { actor: Actor; slug: string; userId: string; role: Role },
) {
  const access = await authorizeWorkspace(db, actor.id, { slug }, "member.changeRole");
  const target = await targetMembership(db, access.workspace.id, userId);
  if (!mayAssignRole(access.role, target.role, role)) {
    throw new AppError("FORBIDDEN", `role: a ${access.role} cannot change a ${target.role} to ${role}`);
  }
  if (target.role === "owner" && role !== "owner") await assertNotLastOwner(db, access.workspace.id, "be demoted");
  await db.membership.update({ where: { id: target.id }, data: { role } });
  return { userId, role };
}

export async function removeMember(db: Db, { actor, slug, userId }: { actor: Actor; slug: string; userId: string }) {
  const access = await authorizeWorkspace(db, actor.id, { slug }, "member.remove");
  if (userId === actor.id) throw new AppError("BAD_REQUEST", "userId: to remove yourself, leave the workspace");
  const target = await targetMembership(db, access.workspace.id, userId);
  if (!mayRemoveMember(access.role, target.role)) {
    throw new AppError("FORBIDDEN", `A ${access.role} cannot remove a ${target.role}`);
  }
  if (target.role === "owner") await assertNotLastOwner(db, access.workspace.id, "be removed");
  await db.membership.delete({ where: { id: target.id } });
  return { userId };
}
