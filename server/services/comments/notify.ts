/**
 * Who hears about a comment: a mention (members only), a reply in a thread you wrote in, and a resolve of
 * a thread you started. Never the actor, never someone who muted the graph. Each notification is a row
 * (the notifications page, the unread count) and a durable event on `user:<id>` (live unread count);
 * mentions and replies are also mailed when a mailer is given (./notify-mail.ts, per the user's preferences).
 */
import type { Db } from "../../db/client";
import { publish, topicOf } from "../../live";
import type { Mailer } from "../../mail/mailer";
import type { Actor } from "../../authz/actor";
import { mailNotification } from "./notify-mail";
import { extractMentionIds } from "./render-markdown";

export type NotificationKind = "mention" | "reply" | "resolve";

interface TThreadRef {
  id: string;
  workspaceId: string;
  graphId: string | null;
  createdById: string;
}

async function deliver(
  db: Db,
  recipients: Map<string, NotificationKind>,
  { actor, thread, commentId, mailer }: { actor: Actor; thread: TThreadRef; commentId: string | null; mailer?: Mailer },
) {
  recipients.delete(actor.id);
  if (recipients.size === 0) return;
  const muted = thread.graphId
    ? await db.graphMute.findMany({ where: { graphId: thread.graphId, userId: { in: [...recipients.keys()] } } })
    : [];
  for (const m of muted) recipients.delete(m.userId);
  for (const [userId, kind] of recipients) {
    const notification = await db.notification.create({
      data: {
        userId,
        kind,
        actorId: actor.id,
        workspaceId: thread.workspaceId,
        graphId: thread.graphId,
        threadId: thread.id,
        commentId,
      },
    });
    await publish(db, topicOf("user", userId), "notification.created", {
      durable: true,
      actorId: actor.id,
      payload: { notificationId: notification.id, kind },
    });
    if (mailer && kind !== "resolve") {
      mailNotification(db, mailer, { userId, kind, actorId: actor.id, threadId: thread.id, commentId });
    }
  }
}

export async function notifyComment(
  db: Db,
  o: { actor: Actor; thread: TThreadRef; commentId: string; body: string; isReply: boolean; mailer?: Mailer },
) {
  const recipients = new Map<string, NotificationKind>();
  const mentioned = extractMentionIds(o.body);
  if (mentioned.length > 0) {
    const members = await db.membership.findMany({
      where: { workspaceId: o.thread.workspaceId, userId: { in: mentioned } },
      select: { userId: true },
    });
    for (const m of members) recipients.set(m.userId, "mention");
  }
  if (o.isReply) {
    const authors = await db.comment.findMany({
      where: { threadId: o.thread.id, deletedAt: null },
      select: { authorId: true },
      distinct: ["authorId"],
    });
    for (const id of [o.thread.createdById, ...authors.map((a) => a.authorId)]) {
      if (!recipients.has(id)) recipients.set(id, "reply");
    }
    // Someone who has left the workspace hears nothing more from it.
    const stillMembers = new Set(
      (
        await db.membership.findMany({
          where: { workspaceId: o.thread.workspaceId, userId: { in: [...recipients.keys()] } },
          select: { userId: true },
        })
      ).map((m) => m.userId),
    );
    for (const id of recipients.keys()) if (!stillMembers.has(id)) recipients.delete(id);
  }
  await deliver(db, recipients, { actor: o.actor, thread: o.thread, commentId: o.commentId, mailer: o.mailer });
}

export async function notifyResolved(db: Db, o: { actor: Actor; thread: TThreadRef }) {
  const isMember = await db.membership.count({
    where: { workspaceId: o.thread.workspaceId, userId: o.thread.createdById },
  });
  if (!isMember) return;
  await deliver(db, new Map([[o.thread.createdById, "resolve"]]), {
    actor: o.actor,
    thread: o.thread,
    commentId: null,
  });
}
