import { z } from "zod";
import { listActivityForYou, listWorkspaceActivity } from "../../services/activity";
import {
  countUnreadNotifications,
  getNotificationPreferences,
  isGraphMuted,
  listNotifications,
  markNotificationsRead,
  setGraphMuted,
  updateNotificationPreferences,
  ZNotificationPreferencesSchema,
} from "../../services/notifications";
import { ZSlugSchema } from "../../services/workspaces";
import { protectedProcedure, router } from "../init";

const ZGraphId = z.string().min(1).max(64);
const ZBeforeId = z.number().int().min(1).optional();

export const notificationRouter = router({
  list: protectedProcedure
    .input(z.object({ isUnreadOnly: z.boolean().optional() }).default({}))
    .query(({ ctx, input }) => listNotifications(ctx.db, { actor: ctx.user, ...input })),
  unreadCount: protectedProcedure.query(({ ctx }) => countUnreadNotifications(ctx.db, { actor: ctx.user })),
  markRead: protectedProcedure
    .input(z.object({ notificationIds: z.array(z.string().min(1).max(64)).min(1).max(500) }))
    .mutation(({ ctx, input }) => markNotificationsRead(ctx.db, { actor: ctx.user, ...input })),
  markAllRead: protectedProcedure.mutation(({ ctx }) =>
    markNotificationsRead(ctx.db, { actor: ctx.user, notificationIds: "all" }),
  ),
  preferences: protectedProcedure.query(({ ctx }) => getNotificationPreferences(ctx.db, { actor: ctx.user })),
  updatePreferences: protectedProcedure
    .input(ZNotificationPreferencesSchema)
    .mutation(({ ctx, input }) => updateNotificationPreferences(ctx.db, { actor: ctx.user, ...input })),
  isGraphMuted: protectedProcedure
    .input(z.object({ graphId: ZGraphId }))
    .query(({ ctx, input }) => isGraphMuted(ctx.db, { actor: ctx.user, ...input })),
  muteGraph: protectedProcedure
    .input(z.object({ graphId: ZGraphId, isMuted: z.boolean() }))
    .mutation(({ ctx, input }) => setGraphMuted(ctx.db, { actor: ctx.user, ...input })),
});

export const activityRouter = router({
  workspace: protectedProcedure
    .input(z.object({ slug: ZSlugSchema, beforeId: ZBeforeId }))
    .query(({ ctx, input }) => listWorkspaceActivity(ctx.db, { actor: ctx.user, ...input })),
  forYou: protectedProcedure
    .input(z.object({ beforeId: ZBeforeId }).default({}))
    .query(({ ctx, input }) => listActivityForYou(ctx.db, { actor: ctx.user, ...input })),
});
