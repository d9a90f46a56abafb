import { z } from "zod";
import { ZAnchorSchema } from "../../services/comments/anchors";
import {
  commentHistory,
  createThread,
  deleteComment,
  editComment,
  getThread,
  listMentionableMembers,
  listThreads,
  replyToThread,
  setThreadStatus,
  summarizeComments,
  toggleReaction,
  ZCommentBodySchema,
} from "../../services/comments/comments";
import { REACTIONS } from "../../services/comments/reactions";
import { protectedProcedure, router } from "../init";

const ZGraphId = z.string().min(1).max(64);
const ZThreadId = z.string().min(1, "threadId: required").max(64);
const ZCommentId = z.string().min(1, "commentId: required").max(64);

export const commentRouter = router({
  list: protectedProcedure
    .input(z.object({ graphId: ZGraphId, anchor: ZAnchorSchema.optional() }))
    .query(({ ctx, input }) => listThreads(ctx.db, { actor: ctx.user, ...input })),
  summary: protectedProcedure
    .input(z.object({ graphId: ZGraphId }))
    .query(({ ctx, input }) => summarizeComments(ctx.db, { actor: ctx.user, ...input })),
  get: protectedProcedure
    .input(z.object({ threadId: ZThreadId }))
    .query(({ ctx, input }) => getThread(ctx.db, { actor: ctx.user, ...input })),
  history: protectedProcedure
    .input(z.object({ commentId: ZCommentId }))
    .query(({ ctx, input }) => commentHistory(ctx.db, { actor: ctx.user, ...input })),
  mentionable: protectedProcedure
    .input(z.object({ graphId: ZGraphId, query: z.string().max(80).default("") }))
    .query(({ ctx, input }) => listMentionableMembers(ctx.db, { actor: ctx.user, ...input })),
  create: protectedProcedure
    .input(z.object({ graphId: ZGraphId, anchor: ZAnchorSchema, body: ZCommentBodySchema }))
    .mutation(({ ctx, input }) => createThread(ctx.db, { actor: ctx.user, mailer: ctx.mailer, ...input })),
  reply: protectedProcedure
    .input(z.object({ threadId: ZThreadId, body: ZCommentBodySchema }))
    .mutation(({ ctx, input }) => replyToThread(ctx.db, { actor: ctx.user, mailer: ctx.mailer, ...input })),
  edit: protectedProcedure
    .input(z.object({ commentId: ZCommentId, body: ZCommentBodySchema }))
    .mutation(({ ctx, input }) => editComment(ctx.db, { actor: ctx.user, ...input })),
  delete: protectedProcedure
    .input(z.object({ commentId: ZCommentId }))
    .mutation(({ ctx, input }) => deleteComment(ctx.db, { actor: ctx.user, ...input })),
  resolve: protectedProcedure
    .input(z.object({ threadId: ZThreadId }))
    .mutation(({ ctx, input }) => setThreadStatus(ctx.db, { actor: ctx.user, ...input, status: "resolved" })),
  reopen: protectedProcedure
    .input(z.object({ threadId: ZThreadId }))
    .mutation(({ ctx, input }) => setThreadStatus(ctx.db, { actor: ctx.user, ...input, status: "open" })),
  react: protectedProcedure
    .input(
      z.object({
        commentId: ZCommentId,
        emoji: z.enum(REACTIONS, { message: `emoji: one of ${REACTIONS.join(" ")}` }),
      }),
    )
    .mutation(({ ctx, input }) => toggleReaction(ctx.db, { actor: ctx.user, ...input })),
});
