/**
 * Mail for a mention or a reply (resolves stay in the app), through the app's mailer, in the background:
 * composed per recipient when it is sent, so the preference read then wins (NotificationPreference:
 * emailMentions / emailReplies, both on by default; unverified addresses get nothing). The mail links to the
 * thread in its graph and to /notifications, where the reader turns these mails off.
 */
import type { Db } from "../../db/client";
import type { Mailer } from "../../mail/mailer";
import { notificationMail } from "../../mail/templates";
import { anchorFromRow, anchorHref } from "./anchors";

const EXCERPT_CHARS = 300;

export function mailNotification(
  db: Db,
  mailer: Mailer,
  o: { userId: string; kind: "mention" | "reply"; actorId: string; threadId: string; commentId: string | null },
): void {
  mailer.sendLater(async () => {
    const [user, preference, actor, thread, comment] = await Promise.all([
      db.user.findUnique({ where: { id: o.userId }, select: { email: true, name: true, emailVerifiedAt: true } }),
      db.notificationPreference.findUnique({ where: { userId: o.userId } }),
      db.user.findUnique({ where: { id: o.actorId }, select: { name: true } }),
      db.commentThread.findUnique({
        where: { id: o.threadId },
        select: {
          graphId: true,
          anchorKind: true,
          anchorKey: true,
          graph: { select: { title: true } },
          workspace: { select: { name: true } },
        },
      }),
      o.commentId
        ? db.comment.findUnique({ where: { id: o.commentId }, select: { body: true, deletedAt: true } })
        : null,
    ]);
    if (!user?.emailVerifiedAt || !thread?.graphId) return null;
    const isWanted = o.kind === "mention" ? (preference?.emailMentions ?? true) : (preference?.emailReplies ?? true);
    if (!isWanted || comment?.deletedAt) return null;
    const who = actor?.name ?? "Someone";
    const where = `"${thread.graph?.title ?? "a graph"}" (${thread.workspace.name})`;
    const excerpt = comment
      ? comment.body.slice(0, EXCERPT_CHARS) + (comment.body.length > EXCERPT_CHARS ? "…" : "")
      : "";
    const settings = mailer.url("/notifications");
    return {
      to: user.email,
      ...notificationMail({
        recipientName: user.name,
        subject: o.kind === "mention" ? `${who} mentioned you on ${where}` : `${who} replied in a thread on ${where}`,
        lines: [o.kind === "mention" ? `${who} mentioned you in a comment:` : `${who} replied:`, excerpt],
        action: {
          label: "Open the thread",
          url: mailer.url(anchorHref(thread.graphId, anchorFromRow(thread.anchorKind, thread.anchorKey), o.threadId)),
        },
        reason: `You get this mail because ${o.kind === "mention" ? "you were mentioned" : "you wrote in this thread"}. Turn these mails off in your notification settings: ${settings}`,
      }),
    };
  });
}
