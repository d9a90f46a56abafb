/**
 * Workspaces: the personal one every user has, and team workspaces with members.
 * Each function takes the acting user and asks server/authz before touching anything.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Actor } from "../authz/actor";
import { authorizeWorkspace } from "../authz/workspace-access";
import type { Role } from "../authz/roles";
import type { Db } from "../db/client";
import { AppError, isUniqueViolation } from "../errors";
import type { BlobStore } from "../storage/blob-store";
import { unsafeDeleteWorkspaceGraphBodies } from "./graphs";

export const ZWorkspaceNameSchema = z
  .string()
  .trim()
  .min(1, "name: enter a workspace name")
  .max(80, "name: at most 80 characters");

export const ZSlugSchema = z
  .string()
  .min(1, "slug: required")
  .max(64, "slug: at most 64 characters")
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "slug: lowercase letters, digits and single dashes only");

export interface WorkspaceSummary {
  id: string;
  slug: string;
  name: string;
  isPersonal: boolean;
  role: Role;
  memberCount: number;
}

function slugify(text: string): string {
  const base = text
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48);
  return base || "workspace";
}

/**
 * Creates a row with a free slug derived from `text`: the plain slug when free, else one with a random
 * suffix. Slugs are unique in the database, so two parallel creations with the same name cannot both take
 * the plain slug; the one that loses the race retries with a suffix instead of failing.
 */
export async function withFreeSlug<T>(db: Db, text: string, create: (slug: string) => Promise<T>): Promise<T> {
  const base = slugify(text);
  for (let attempt = 0; attempt < 6; attempt += 1) {
    const slug = attempt === 0 ? base : `${base}-${randomBytes(3).toString("hex")}`;
    if (attempt === 0 && (await db.workspace.findUnique({ where: { slug }, select: { id: true } }))) continue;
    try {
      return await create(slug);
    } catch (e) {
      if (!isUniqueViolation(e) || !(await db.workspace.findUnique({ where: { slug }, select: { id: true } }))) throw e;
    }
  }
  throw new AppError("SLUG_TAKEN", "Could not find a free address for this workspace; try another name");
}

function personalWorkspaceData(user: { id: string; name: string; email: string }, slug: string) {
  return {
    slug,
    name: `${user.name}'s workspace`,
    personalForUserId: user.id,
    members: { create: { userId: user.id, role: "owner" } },
  };
}

export function personalSlugSource(user: { name: string; email: string }): string {
  return user.name || user.email.split("@")[0] || "me";
}

/** Idempotent: creates the user's personal workspace (owner) when missing, and returns it. */
export async function ensurePersonalWorkspace(db: Db, user: { id: string; name: string; email: string }) {
  const existing = await db.workspace.findUnique({ where: { personalForUserId: user.id } });
  if (existing) return existing;
  try {
    return await withFreeSlug(db, personalSlugSource(user), (slug) =>
      db.workspace.create({ data: personalWorkspaceData(user, slug) }),
    );
  } catch (e) {
    // A parallel call made it (personalForUserId is unique): that one is the user's.
    const made = isUniqueViolation(e) ? await db.workspace.findUnique({ where: { personalForUserId: user.id } }) : null;
    if (made) return made;
    throw e;
  }
}

/** The user and their personal workspace, in one transaction: there is never a user without one. */
export async function createUserWithPersonalWorkspace<T extends { id: string; name: string; email: string }>(
  db: Db,
  createUser: (tx: Db) => Promise<T>,
  slugSource: string,
): Promise<T> {
  return withFreeSlug(db, slugSource, (slug) =>
    db.$transaction(async (tx) => {
      const user = await createUser(tx as Db);
      await tx.workspace.create({ data: personalWorkspaceData(user, slug) });
      return user;
    }),
  );
}

export async function createWorkspace(db: Db, { actor, name }: { actor: Actor; name: string }) {
  return withFreeSlug(db, name, (slug) =>
    db.workspace.create({
      data: { slug, name, members: { create: { userId: actor.id, role: "owner" } } },
      select: { id: true, slug: true, name: true },
    }),
  );
}

export async function listWorkspaces(db: Db, { actor }: { actor: Actor }): Promise<WorkspaceSummary[]> {
  const memberships = await db.membership.findMany({
    where: { userId: actor.id },
    include: { workspace: { include: { _count: { select: { members: true } } } } },
    orderBy: { createdAt: "asc" },
  });
  return memberships
    .map((m) => ({
      id: m.workspace.id,
      slug: m.workspace.slug,
      name: m.workspace.name,
      isPersonal: m.workspace.personalForUserId !== null,
      role: m.role as Role,
      memberCount: m.workspace._count.members,
    }))
    .sort((a, b) => Number(b.isPersonal) - Number(a.isPersonal));
}

export async function getWorkspace(db: Db, { actor, slug }: { actor: Actor; slug: string }) {
  const { workspace, role } = await authorizeWorkspace(db, actor.id, { slug }, "workspace.read");
  return {
    id: workspace.id,
    slug: workspace.slug,
    name: workspace.name,
    isPersonal: workspace.personalForUserId !== null,
    createdAt: workspace.createdAt,
    role,
  };
}

export async function renameWorkspace(db: Db, { actor, slug, name }: { actor: Actor; slug: string; name: string }) {
  const { workspace } = await authorizeWorkspace(db, actor.id, { slug }, "workspace.rename");
  return db.workspace.update({
    where: { id: workspace.id },
    data: { name },
    select: { id: true, slug: true, name: true },
  });
}

/** Deletes a team workspace and everything in it. `confirmSlug` must repeat the slug, as typed by the user. */
export async function deleteWorkspace(
  db: Db,
  store: BlobStore,
  { actor, slug, confirmSlug }: { actor: Actor; slug: string; confirmSlug: string },
) {
  const { workspace } = await authorizeWorkspace(db, actor.id, { slug }, "workspace.delete");
  if (workspace.personalForUserId !== null) {
    throw new AppError("BAD_REQUEST", "A personal workspace cannot be deleted");
  }
  if (confirmSlug !== workspace.slug) {
    throw new AppError("BAD_REQUEST", `confirmSlug: type the workspace's slug "${workspace.slug}" to confirm`);
  }
  await unsafeDeleteWorkspaceGraphBodies(db, store, workspace.id); // authorized just above
  await db.workspace.delete({ where: { id: workspace.id } });
  return { slug: workspace.slug };
}

/** Leaves a workspace. The last owner cannot leave (transfer ownership or delete the workspace first). */
export async function leaveWorkspace(db: Db, { actor, slug }: { actor: Actor; slug: string }) {
  const { workspace, role } = await authorizeWorkspace(db, actor.id, { slug }, "workspace.read");
  if (workspace.personalForUserId !== null)
    throw new AppError("BAD_REQUEST", "You cannot leave your personal workspace");
  if (role === "owner") await assertNotLastOwner(db, workspace.id, "leave");
  await db.membership.delete({ where: { workspaceId_userId: { workspaceId: workspace.id, userId: actor.id } } });
  return { slug: workspace.slug };
}

export async function assertNotLastOwner(db: Db, workspaceId: string, what: string): Promise<void> {
  const owners = await db.membership.count({ where: { workspaceId, role: "owner" } });
  if (owners <= 1) {
    throw new AppError("LAST_OWNER", `The last owner cannot ${what}; make another member owner first`);
  }
}
