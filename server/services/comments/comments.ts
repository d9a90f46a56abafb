/**
 * Comment threads on graphs: start a thread on an anchor, reply, edit own (history kept), delete (own; any
 * for admins+; the comment keeps its place as "deleted"), resolve / reopen (editors+, or the thread's
 * author), react. Every function asks server/authz (authorizeGraphDiscussion / authorizeThread) first,
 * then writes, then publishes on the live channel (topic graph:<id>) and notifies (notify.ts).
 */
import { z } from "zod";
import { authorizeGraphDiscussion } from "../../authz/comment-access";
import type { Db } from "../../db/client";
import { env } from "../../env";
import { AppError } from "../../errors";
import { publish, topicOf } from "../../live";
import type { Mailer } from "../../mail/mailer";
import { consumeRateLimit } from "../auth/rate-limit";
import type { Actor } from "../../authz/actor";
import { anchorKey, checkAnchor, type TAnchor } from "./anchors";
import { mayResolve, THREAD_INCLUDE, viewThreads, type TThreadView } from "./comment-views";
import { notifyComment, notifyResolved } from "./notify";
import type { Reaction } from "./reactions";
import { authorizeComment, authorizeThread } from "./thread-access";

export const MAX_COMMENT_CHARS = 10_000;
export const ZCommentBodySchema = z
  .string()
  .trim()
  .min(1, "body: write something")
  .max(MAX_COMMENT_CHARS, `body: at most ${MAX_COMMENT_CHARS.toLocaleString("en")} characters`);

async function limitRate(db: Db, actor: Actor): Promise<void> {
  const e = env();
  const result = await consumeRateLimit(db, {
    key: `comment:${actor.id}`,
    max: e.COMMENT_MAX_PER_WINDOW,
    windowSeconds: e.COMMENT_WINDOW_SECONDS,
  });
  if (!result.isAllowed) {
    throw new AppError("TOO_MANY_REQUESTS", `Too many comments; try again in ${result.retryAfterSeconds} s`);
  }
}

async function publishThreadEvent(
  db: Db,
  thread: { id: string; workspaceId: string; graphId: string | null; anchorKind: string; anchorKey: string },
  type: string,
  actor: Actor,
  extra: Record<string, unknown> = {},
) {
  if (!thread.graphId) return; // anchors that span graphs publish on their own topic kind (see anchors.ts)
  await publish(db, topicOf("graph", thread.graphId), type, {
    durable: true,
    workspaceId: thread.workspaceId,
    actorId: actor.id,
    payload: { threadId: thread.id, anchorKind: thread.anchorKind, anchorKey: thread.anchorKey, ...extra },
  });
}

async function loadThreadView(
  db: Db,
  threadId: string,
  viewer: { id: string; role: Parameters<typeof viewThreads>[2]["role"] },
) {
  const row = await db.commentThread.findUniqueOrThrow({ where: { id: threadId }, include: THREAD_INCLUDE });
  return (await viewThreads(db, [row], viewer))[0]!;
}

export async function createThread(
  db: Db,
  {
    actor,
    graphId,
    anchor,
    body,
    mailer,
  }: { actor: Actor; graphId: string; anchor: TAnchor; body: string; mailer?: Mailer },
): Promise<TThreadView> {
  const access = await authorizeGraphDiscussion(db, actor.id, { graphId }, "comment.create");
  await checkAnchor(db, graphId, anchor);
  await limitRate(db, actor);
  const thread = await db.commentThread.create({
    data: {
      workspaceId: access.workspaceId,
      graphId,
      anchorKind: anchor.kind,
      anchorKey: anchorKey(anchor),
      createdById: actor.id,
      comments: { create: { authorId: actor.id, body } },
    },
    include: { comments: { select: { id: true } } },
  });
  const commentId = thread.comments[0]!.id;
  await publishThreadEvent(db, thread, "comment.created", actor, { commentId, isNewThread: true });
  await notifyComment(db, { actor, thread, commentId, body, isReply: false, mailer });
  return loadThreadView(db, thread.id, { id: actor.id, role: access.role });
}

export async function replyToThread(
  db: Db,
  { actor, threadId, body, mailer }: { actor: Actor; threadId: string; body: string; mailer?: Mailer },
): Promise<TThreadView> {
  const { thread, role } = await authorizeThread(db, actor.id, threadId, "comment.create");
  await limitRate(db, actor);
  const comment = await db.comment.create({ data: { threadId, authorId: actor.id, body } });
  await db.commentThread.update({ where: { id: threadId }, data: { lastActivityAt: comment.createdAt } });
  await publishThreadEvent(db, thread, "comment.created", actor, { commentId: comment.id, isNewThread: false });
  await notifyComment(db, { actor, thread, commentId: comment.id, body, isReply: true, mailer });
  return loadThreadView(db, threadId, { id: actor.id, role });
}

export async function editComment(
  db: Db,
  { actor, commentId, body }: { actor: Actor; commentId: string; body: string },
): Promise<TThreadView> {
  const { comment, thread, role } = await authorizeComment(db, actor.id, commentId, "comment.create");
  if (comment.authorId !== actor.id) throw new AppError("FORBIDDEN", "Only its author can edit a comment");
  if (comment.deletedAt) throw new AppError("CONFLICT", "This comment was deleted");
  if (comment.body === body) return loadThreadView(db, thread.id, { id: actor.id, role });
  await limitRate(db, actor);
  await db.$transaction([
    db.commentRevision.create({ data: { commentId, body: comment.body } }),
    db.comment.update({ where: { id: commentId }, data: { body, editedAt: new Date() } }),
  ]);
  await publishThreadEvent(db, thread, "comment.edited", actor, { commentId });
  return loadThreadView(db, thread.id, { id: actor.id, role });
}

export async function deleteComment(db: Db, { actor, commentId }: { actor: Actor; commentId: string }) {
  const { comment, thread, role } = await authorizeComment(db, actor.id, commentId, "comment.read");
  if (comment.authorId !== actor.id) {
    // Someone else's comment: a moderation action (admins and owners).
    await authorizeComment(db, actor.id, commentId, "comment.moderate");
  }
  if (!comment.deletedAt) {
    await db.$transaction([
      db.commentRevision.deleteMany({ where: { commentId } }),
      db.comment.update({ where: { id: commentId }, data: { body: "", deletedAt: new Date(), deletedById: actor.id } }),
    ]);
    await publishThreadEvent(db, thread, "comment.deleted", actor, { commentId });
  }
  return loadThreadView(db, thread.id, { id: actor.id, role });
}

export async function setThreadStatus(
  db: Db,
  { actor, threadId, status }: { actor: Actor; threadId: string; status: "open" | "resolved" },
): Promise<TThreadView> {
  const access = await authorizeThread(db, actor.id, threadId, "comment.read");
  if (!mayResolve(access.role, actor.id, access.thread)) {
    await authorizeThread(db, actor.id, threadId, "comment.resolve"); // throws the policy's FORBIDDEN
  }
  const { thread } = access;
  if (thread.status !== status) {
    const isResolving = status === "resolved";
    await db.commentThread.update({
      where: { id: threadId },
      data: {
        status,
        resolvedById: isResolving ? actor.id : null,
        resolvedAt: isResolving ? new Date() : null,
        lastActivityAt: new Date(),
      },
    });
    await publishThreadEvent(db, thread, isResolving ? "thread.resolved" : "thread.reopened", actor);
    if (isResolving) await notifyResolved(db, { actor, thread });
  }
  return loadThreadView(db, threadId, { id: actor.id, role: access.role });
}

export async function toggleReaction(
  db: Db,
  { actor, commentId, emoji }: { actor: Actor; commentId: string; emoji: Reaction },
): Promise<TThreadView> {
  const { comment, thread, role } = await authorizeComment(db, actor.id, commentId, "comment.create");
  if (comment.deletedAt) throw new AppError("CONFLICT", "This comment was deleted");
  const where = { commentId_userId_emoji: { commentId, userId: actor.id, emoji } };
  const existing = await db.commentReaction.findUnique({ where });
  if (existing) await db.commentReaction.delete({ where });
  else await db.commentReaction.create({ data: { commentId, userId: actor.id, emoji } });
  await publishThreadEvent(db, thread, "reaction.changed", actor, { commentId });
  return loadThreadView(db, thread.id, { id: actor.id, role });
}

/** The threads of a graph, newest activity first; one anchor's only when `anchor` is given. */
export async function listThreads(
  db: Db,
  { actor, graphId, anchor }: { actor: Actor; graphId: string; anchor?: TAnchor },
): Promise<TThreadView[]> {
  const { role } = await authorizeGraphDiscussion(db, actor.id, { graphId }, "comment.read");
  const rows = await db.commentThread.findMany({
    where: { graphId, ...(anchor ? { anchorKind: anchor.kind, anchorKey: anchorKey(anchor) } : {}) },
    include: THREAD_INCLUDE,
    orderBy: { lastActivityAt: "desc" },
    take: 500,
  });
  return viewThreads(db, rows, { id: actor.id, role });
}

export async function getThread(db: Db, { actor, threadId }: { actor: Actor; threadId: string }) {
  const { role } = await authorizeThread(db, actor.id, threadId, "comment.read");
  return loadThreadView(db, threadId, { id: actor.id, role });
}

/**
 * Per anchor: how many threads are open and resolved. What the viewer needs for node badges, the
 * "commented nodes" filter and list — one grouped query, no bodies.
 */
export async function summarizeComments(db: Db, { actor, graphId }: { actor: Actor; graphId: string }) {
  await authorizeGraphDiscussion(db, actor.id, { graphId }, "comment.read");
  const groups = await db.commentThread.groupBy({
    by: ["anchorKind", "anchorKey", "status"],
    where: { graphId },
    _count: { _all: true },
  });
  const byAnchor = new Map<string, { anchorKind: string; anchorKey: string; open: number; resolved: number }>();
  for (const g of groups) {
    const k = `${g.anchorKind}\u0000${g.anchorKey}`;
    const entry = byAnchor.get(k) ?? { anchorKind: g.anchorKind, anchorKey: g.anchorKey, open: 0, resolved: 0 };
    if (g.status === "resolved") entry.resolved += g._count._all;
    else entry.open += g._count._all;
    byAnchor.set(k, entry);
  }
  return [...byAnchor.values()];
}

/** Earlier versions of a comment (its author and moderators see the same history as every member). */
export async function commentHistory(db: Db, { actor, commentId }: { actor: Actor; commentId: string }) {
  await authorizeComment(db, actor.id, commentId, "comment.read");
  const revisions = await db.commentRevision.findMany({ where: { commentId }, orderBy: { createdAt: "asc" } });
  return revisions.map((r) => ({ id: r.id, body: r.body, createdAt: r.createdAt }));
}

/** Members of the graph's workspace whose name or email starts with `query` (the @ autocomplete). */
export async function listMentionableMembers(
  db: Db,
  { actor, graphId, query }: { actor: Actor; graphId: string; query: string },
) {
  const { workspaceId } = await authorizeGraphDiscussion(db, actor.id, { graphId }, "comment.read");
  const q = query.trim().toLowerCase();
  const members = await db.membership.findMany({
    where: { workspaceId },
    select: { user: { select: { id: true, name: true, email: true } } },
    take: 1000,
  });
  return members
    .map((m) => m.user)
    .filter(
      (u) =>
        !q ||
        u.name
          .toLowerCase()
          .split(/\s+/)
          .some((w) => w.startsWith(q)) ||
        u.name.toLowerCase().startsWith(q) ||
        u.email.toLowerCase().startsWith(q),
    )
    .sort((a, b) => a.name.localeCompare(b.name))
    .slice(0, 10)
    .map((u) => ({ id: u.id, name: u.name }));
}
