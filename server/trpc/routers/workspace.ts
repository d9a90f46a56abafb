import { z } from "zod";
import { ROLES } from "../../authz/roles";
import { env } from "../../env";
import { ZEmailSchema } from "../../services/auth/users";
import {
  acceptInvitation,
  acceptMyInvitation,
  createInvitation,
  listInvitations,
  listMyInvitations,
  previewInvitation,
  revokeInvitation,
} from "../../services/invitations";
import { changeMemberRole, listMembers, removeMember } from "../../services/members";
import {
  createWorkspace,
  deleteWorkspace,
  getWorkspace,
  leaveWorkspace,
  listWorkspaces,
  renameWorkspace,
  ZSlugSchema,
  ZWorkspaceNameSchema,
} from "../../services/workspaces";
import { protectedProcedure, publicProcedure, router } from "../init";

const ZSlugInput = z.object({ slug: ZSlugSchema });
const ZRole = z.enum(ROLES, { message: `role: one of ${ROLES.join(", ")}` });
const ZId = z.string().min(1).max(64);

export const workspaceRouter = router({
  list: protectedProcedure.query(({ ctx }) => listWorkspaces(ctx.db, { actor: ctx.user })),
  create: protectedProcedure
    .input(z.object({ name: ZWorkspaceNameSchema }))
    .mutation(({ ctx, input }) => createWorkspace(ctx.db, { actor: ctx.user, name: input.name })),
  get: protectedProcedure
    .input(ZSlugInput)
    .query(({ ctx, input }) => getWorkspace(ctx.db, { actor: ctx.user, ...input })),
  rename: protectedProcedure
    .input(z.object({ slug: ZSlugSchema, name: ZWorkspaceNameSchema }))
    .mutation(({ ctx, input }) => renameWorkspace(ctx.db, { actor: ctx.user, ...input })),
  delete: protectedProcedure
    .input(z.object({ slug: ZSlugSchema, confirmSlug: z.string() }))
    .mutation(({ ctx, input }) => deleteWorkspace(ctx.db, ctx.store, { actor: ctx.user, ...input })),
  leave: protectedProcedure
    .input(ZSlugInput)
    .mutation(({ ctx, input }) => leaveWorkspace(ctx.db, { actor: ctx.user, ...input })),
});

export const memberRouter = router({
  list: protectedProcedure
    .input(ZSlugInput)
    .query(({ ctx, input }) => listMembers(ctx.db, { actor: ctx.user, ...input })),
  changeRole: protectedProcedure
    .input(z.object({ slug: ZSlugSchema, userId: ZId, role: ZRole }))
    .mutation(({ ctx, input }) => changeMemberRole(ctx.db, { actor: ctx.user, ...input })),
  remove: protectedProcedure
    .input(z.object({ slug: ZSlugSchema, userId: ZId }))
    .mutation(({ ctx, input }) => removeMember(ctx.db, { actor: ctx.user, ...input })),
});

const ZToken = z.string().min(8, "token: not an invitation token").max(200);

export const invitationRouter = router({
  list: protectedProcedure
    .input(ZSlugInput)
    .query(({ ctx, input }) => listInvitations(ctx.db, { actor: ctx.user, ...input })),
  create: protectedProcedure
    .input(z.object({ slug: ZSlugSchema, role: ZRole, email: ZEmailSchema.optional() }))
    .mutation(({ ctx, input }) =>
      createInvitation(ctx.db, ctx.mailer, { actor: ctx.user, ...input, ttlHours: env().INVITE_TTL_HOURS }),
    ),
  revoke: protectedProcedure
    .input(z.object({ slug: ZSlugSchema, invitationId: ZId }))
    .mutation(({ ctx, input }) => revokeInvitation(ctx.db, { actor: ctx.user, ...input })),
  // The token is the credential: anyone holding a valid link may see which workspace it opens.
  preview: publicProcedure
    .input(z.object({ token: ZToken }))
    .query(({ ctx, input }) => previewInvitation(ctx.db, input)),
  accept: protectedProcedure
    .input(z.object({ token: ZToken }))
    .mutation(({ ctx, input }) => acceptInvitation(ctx.db, { actor: ctx.user, token: input.token })),
  mine: protectedProcedure.query(({ ctx }) => listMyInvitations(ctx.db, { actor: ctx.user })),
  acceptMine: protectedProcedure
    .input(z.object({ invitationId: ZId }))
    .mutation(({ ctx, input }) => acceptMyInvitation(ctx.db, { actor: ctx.user, invitationId: input.invitationId })),
});
