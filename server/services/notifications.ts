/**
 * A user's notifications (mentions, replies, resolves): the list with deep links, the unread count,
 * mark read / all read, and the settings: mail for mentions and replies (opt-out), muted graphs.
 * A user only ever sees their own; entries whose workspace they have left are hidden.
 */
import { z } from "zod";
import { authorizeGraph } from "../authz/graph-access";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { publish, topicOf } from "../live";
import { anchorFromRow, anchorHref } from "./comments/anchors";
import type { Actor } from "../authz/actor";

export const ZNotificationPreferencesSchema = z
  .object({ emailMentions: z.boolean().optional(), emailReplies: z.boolean().optional() })
  .strict();

function visibleWhere(actor: Actor) {
  return { userId: actor.id, thread: { workspace: { members: { some: { userId: actor.id } } } } };
}

export async function listNotifications(
  db: Db,
  { actor, isUnreadOnly = false, take = 50 }: { actor: Actor; isUnreadOnly?: boolean; take?: number },
) {
  const rows = await db.notification.findMany({
    where: { ...visibleWhere(actor), ...(isUnreadOnly ? { readAt: null } : {}) },
    orderBy: { createdAt: "desc" },
    take,
    include: {
      thread: {
        select: {
          id: true,
          graphId: true,
          anchorKind: true,
          anchorKey: true,
          graph: { select: { title: true } },
          workspace: { select: { slug: true, name: true } },
        },
      },
    },
  });
  const actors = new Map(
    (
      await db.user.findMany({
        where: { id: { in: [...new Set(rows.map((r) => r.actorId))] } },
        select: { id: true, name: true },
      })
    ).map((u) => [u.id, u.name]),
  );
  const commentIds = rows.flatMap((r) => (r.commentId ? [r.commentId] : []));
  const excerpts = new Map(
    (
      await db.comment.findMany({
        where: { id: { in: commentIds } },
        select: { id: true, body: true, deletedAt: true },
      })
    ).map((c) => [c.id, c.deletedAt ? "(deleted)" : c.body.slice(0, 160)]),
  );
  return rows.map((r) => {
    const anchor = anchorFromRow(r.thread.anchorKind, r.thread.anchorKey);
    return {
      id: r.id,
      kind: r.kind as "mention" | "reply" | "resolve",
      actorName: actors.get(r.actorId) ?? "(removed user)",
      createdAt: r.createdAt,
      isRead: r.readAt !== null,
      workspace: r.thread.workspace,
      graphTitle: r.thread.graph?.title ?? null,
      anchor,
      excerpt: r.commentId ? (excerpts.get(r.commentId) ?? "") : "",
      href: r.thread.graphId ? anchorHref(r.thread.graphId, anchor, r.thread.id) : "/notifications",
    };
  });
}

export async function countUnreadNotifications(db: Db, { actor }: { actor: Actor }): Promise<number> {
  return db.notification.count({ where: { ...visibleWhere(actor), readAt: null } });
}

export async function markNotificationsRead(
  db: Db,
  { actor, notificationIds }: { actor: Actor; notificationIds: string[] | "all" },
): Promise<{ updated: number }> {
  const result = await db.notification.updateMany({
    where: {
      userId: actor.id,
      readAt: null,
      ...(notificationIds === "all" ? {} : { id: { in: notificationIds } }),
    },
    data: { readAt: new Date() },
  });
  // Other tabs of this user update their unread count (nothing to replay: the count is re-read).
  if (result.count > 0) {
    await publish(db, topicOf("user", actor.id), "notification.read", { durable: false, actorId: actor.id });
  }
  return { updated: result.count };
}

export async function getNotificationPreferences(db: Db, { actor }: { actor: Actor }) {
  const row = await db.notificationPreference.findUnique({ where: { userId: actor.id } });
  const mutes = await db.graphMute.findMany({
    where: { userId: actor.id },
    include: { graph: { select: { id: true, title: true } } },
    orderBy: { createdAt: "desc" },
  });
  return {
    emailMentions: row?.emailMentions ?? true,
    emailReplies: row?.emailReplies ?? true,
    mutedGraphs: mutes.map((m) => m.graph),
  };
}

export async function updateNotificationPreferences(
  db: Db,
  { actor, ...changes }: { actor: Actor } & z.infer<typeof ZNotificationPreferencesSchema>,
) {
  await db.notificationPreference.upsert({
    where: { userId: actor.id },
    create: { userId: actor.id, ...changes },
    update: changes,
  });
  return getNotificationPreferences(db, { actor });
}

/** Mute or unmute a graph you can read (members: its comments; others have nothing to mute but may). */
export async function setGraphMuted(
  db: Db,
  { actor, graphId, isMuted }: { actor: Actor; graphId: string; isMuted: boolean },
): Promise<{ isMuted: boolean }> {
  const { role } = await authorizeGraph(db, actor.id, graphId, "graph.read");
  if (role === null) throw new AppError("FORBIDDEN", "Only members of the graph's workspace get its notifications");
  const where = { userId_graphId: { userId: actor.id, graphId } };
  if (isMuted) await db.graphMute.upsert({ where, create: { userId: actor.id, graphId }, update: {} });
  else await db.graphMute.deleteMany({ where: { userId: actor.id, graphId } });
  return { isMuted };
}

export async function isGraphMuted(db: Db, { actor, graphId }: { actor: Actor; graphId: string }) {
  await authorizeGraph(db, actor.id, graphId, "graph.read");
  return { isMuted: (await db.graphMute.count({ where: { userId: actor.id, graphId } })) > 0 };
}
