/**
 * Invitations into a team workspace: a shareable link (many uses until it expires or is revoked) or an
 * invitation for one email address (single use; mailed to it, and shown to that user after sign-in once
 * the address is verified). The token appears once, in the link; only its digest is stored. An email
 * invitation can be seen in "mine" and accepted only by an account whose address is that one AND verified:
 * otherwise anyone could sign up with an invitee's address and walk into their workspace.
 */
import { mayAssignRole } from "../authz/policy";
import type { Role } from "../authz/roles";
import { authorizeWorkspace } from "../authz/workspace-access";
import type { Db } from "../db/client";
import { AppError, isUniqueViolation } from "../errors";
import { logger } from "../log";
import type { Mailer } from "../mail/mailer";
import { invitationMail } from "../mail/templates";
import { isEmailVerified } from "./auth/verification";
import { digestSecret, newSecret } from "./secret-token";
import type { Actor } from "../authz/actor";

const VERIFY_FIRST =
  "This invitation is for your email address, which is not verified yet: follow the link we mailed you (or resend it from Settings), then accept";

const TOKEN_PREFIX = "inv_";

export async function createInvitation(
  db: Db,
  mailer: Mailer,
  {
    actor,
    slug,
    role,
    email,
    ttlHours,
  }: { actor: Actor & { name: string }; slug: string; role: Role; email?: string; ttlHours: number },
) {
  const access = await authorizeWorkspace(db, actor.id, { slug }, "invitation.create");
  if (access.workspace.personalForUserId !== null) {
    throw new AppError(
      "BAD_REQUEST",
      "A personal workspace cannot be shared; create a team workspace to invite people",
    );
  }
  if (!mayAssignRole(access.role, null, role)) {
    throw new AppError("FORBIDDEN", `role: a ${access.role} cannot invite someone as ${role}`);
  }
  const token = newSecret(TOKEN_PREFIX, 24);
  const invitation = await db.invitation.create({
    data: {
      workspaceId: access.workspace.id,
      role,
      email: email ?? null,
      tokenHash: digestSecret(token),
      createdById: actor.id,
      expiresAt: new Date(Date.now() + ttlHours * 3600_000),
    },
  });
  // Mailed to the invitee; when delivery fails the inviter still has the link to pass on.
  let isMailed = false;
  if (invitation.email) {
    try {
      await mailer.send({
        to: invitation.email,
        ...invitationMail({
          inviterName: actor.name,
          workspaceName: access.workspace.name,
          role,
          url: mailer.url(`/invite/${token}`),
          expiresAt: invitation.expiresAt,
        }),
      });
      isMailed = true;
    } catch (e) {
      logger().error({ err: e, invitationId: invitation.id }, "mail: could not deliver an invitation");
    }
  }
  return { id: invitation.id, token, role, email: invitation.email, expiresAt: invitation.expiresAt, isMailed };
}

function isUsable(
  inv: { revokedAt: Date | null; expiresAt: Date; email: string | null; useCount: number },
  now = new Date(),
) {
  return inv.revokedAt === null && inv.expiresAt > now && !(inv.email !== null && inv.useCount > 0);
}

export async function listInvitations(db: Db, { actor, slug }: { actor: Actor; slug: string }) {
  const { workspace } = await authorizeWorkspace(db, actor.id, { slug }, "invitation.list");
  const rows = await db.invitation.findMany({
    where: { workspaceId: workspace.id },
    include: { createdBy: { select: { name: true } } },
    orderBy: { createdAt: "desc" },
  });
  return rows.map((r) => ({
    id: r.id,
    role: r.role as Role,
    email: r.email,
    kind: r.email ? ("email" as const) : ("link" as const),
    createdBy: r.createdBy.name,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    useCount: r.useCount,
    status: r.revokedAt ? "revoked" : r.expiresAt <= new Date() ? "expired" : isUsable(r) ? "active" : "used",
  }));
}

export async function revokeInvitation(
  db: Db,
  { actor, slug, invitationId }: { actor: Actor; slug: string; invitationId: string },
) {
  const { workspace } = await authorizeWorkspace(db, actor.id, { slug }, "invitation.revoke");
  const inv = await db.invitation.findFirst({ where: { id: invitationId, workspaceId: workspace.id } });
  if (!inv) throw new AppError("NOT_FOUND", "invitationId: no such invitation in this workspace");
  await db.invitation.update({ where: { id: inv.id }, data: { revokedAt: inv.revokedAt ?? new Date() } });
  return { id: inv.id };
}

async function usableInvitation(db: Db, token: string) {
  const inv = await db.invitation.findUnique({
    where: { tokenHash: digestSecret(token) },
    include: { workspace: { select: { id: true, slug: true, name: true } } },
  });
  if (!inv) throw new AppError("NOT_FOUND", "This invitation link is not valid");
  if (inv.revokedAt) throw new AppError("NOT_FOUND", "This invitation was revoked");
  if (inv.expiresAt <= new Date()) throw new AppError("NOT_FOUND", "This invitation has expired; ask for a new one");
  if (!isUsable(inv)) throw new AppError("NOT_FOUND", "This invitation has already been used");
  return inv;
}

/** What the invitation page shows before the user accepts (the token itself is the credential). */
export async function previewInvitation(db: Db, { token }: { token: string }) {
  const inv = await usableInvitation(db, token);
  return { workspaceName: inv.workspace.name, role: inv.role as Role, email: inv.email, expiresAt: inv.expiresAt };
}

export async function acceptInvitation(db: Db, { actor, token }: { actor: Actor & { email: string }; token: string }) {
  const inv = await usableInvitation(db, token);
  if (inv.email !== null && inv.email !== actor.email.toLowerCase()) {
    throw new AppError("FORBIDDEN", `This invitation is for ${inv.email}; sign in with that address to accept it`);
  }
  if (inv.email !== null && !(await isEmailVerified(db, actor.id))) throw new AppError("FORBIDDEN", VERIFY_FIRST);
  const existing = await db.membership.findUnique({
    where: { workspaceId_userId: { workspaceId: inv.workspaceId, userId: actor.id } },
  });
  if (!existing) {
    try {
      await db.$transaction([
        db.membership.create({ data: { workspaceId: inv.workspaceId, userId: actor.id, role: inv.role } }),
        db.invitation.update({ where: { id: inv.id }, data: { useCount: { increment: 1 } } }),
      ]);
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      // The same user accepted in a parallel request a moment ago: they are a member, as asked.
      const joined = await db.membership.findUniqueOrThrow({
        where: { workspaceId_userId: { workspaceId: inv.workspaceId, userId: actor.id } },
      });
      return { slug: inv.workspace.slug, role: joined.role as Role, isAlreadyMember: true };
    }
  }
  return { slug: inv.workspace.slug, role: (existing?.role ?? inv.role) as Role, isAlreadyMember: Boolean(existing) };
}

/** Pending email invitations addressed to the signed-in user (no tokens: accepted by id). */
export async function listMyInvitations(db: Db, { actor }: { actor: Actor & { email: string } }) {
  if (!(await isEmailVerified(db, actor.id))) return [];
  const rows = await db.invitation.findMany({
    where: { email: actor.email.toLowerCase(), revokedAt: null, useCount: 0, expiresAt: { gt: new Date() } },
    include: { workspace: { select: { slug: true, name: true, members: { where: { userId: actor.id } } } } },
  });
  return rows
    .filter((r) => r.workspace.members.length === 0)
    .map((r) => ({ id: r.id, workspaceSlug: r.workspace.slug, workspaceName: r.workspace.name, role: r.role as Role }));
}

/** Accepts an email invitation addressed to the actor, by id (as listed by listMyInvitations). */
export async function acceptMyInvitation(
  db: Db,
  { actor, invitationId }: { actor: Actor & { email: string }; invitationId: string },
) {
  const inv = await db.invitation.findFirst({
    where: { id: invitationId, email: actor.email.toLowerCase() },
    include: { workspace: { select: { slug: true } } },
  });
  if (!inv || !isUsable(inv))
    throw new AppError("NOT_FOUND", "invitationId: no pending invitation with this id for you");
  if (!(await isEmailVerified(db, actor.id))) throw new AppError("FORBIDDEN", VERIFY_FIRST);
  try {
    await db.$transaction([
      db.membership.create({ data: { workspaceId: inv.workspaceId, userId: actor.id, role: inv.role } }),
      db.invitation.update({ where: { id: inv.id }, data: { useCount: { increment: 1 } } }),
    ]);
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    throw new AppError("ALREADY_MEMBER", "You are already a member of this workspace");
  }
  return { slug: inv.workspace.slug, role: inv.role as Role };
}
