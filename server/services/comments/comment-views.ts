/** What the client gets for a thread: rendered bodies, reactions counted, and what the caller may do. */
import { mayPerform } from "../../authz/policy";
import type { Role } from "../../authz/roles";
import type { Db } from "../../db/client";
import { anchorFromRow, type TAnchor } from "./anchors";
import { renderCommentMarkdown } from "./render-markdown";
import { REACTIONS } from "./reactions";

export const THREAD_INCLUDE = {
  comments: {
    orderBy: { createdAt: "asc" as const },
    include: { author: { select: { id: true, name: true } }, reactions: { select: { emoji: true, userId: true } } },
  },
};

type TThreadRow = Awaited<ReturnType<Db["commentThread"]["findMany"]>>[number] & {
  comments: (Awaited<ReturnType<Db["comment"]["findMany"]>>[number] & {
    author: { id: string; name: string };
    reactions: { emoji: string; userId: string }[];
  })[];
};

export interface TCommentView {
  id: string;
  author: { id: string; name: string };
  /** Markdown source (empty once deleted), for editing. */
  body: string;
  /** Sanitised HTML (server/services/comments/render-markdown.ts). */
  html: string;
  createdAt: Date;
  editedAt: Date | null;
  isDeleted: boolean;
  reactions: { emoji: string; count: number; isMine: boolean }[];
  canEdit: boolean;
  canDelete: boolean;
}

export interface TThreadView {
  id: string;
  graphId: string | null;
  anchor: TAnchor;
  status: "open" | "resolved";
  createdAt: Date;
  resolvedAt: Date | null;
  resolvedBy: { id: string; name: string } | null;
  canResolve: boolean;
  comments: TCommentView[];
}

export function mayResolve(role: Role, userId: string, thread: { createdById: string }): boolean {
  return mayPerform(role, "comment.resolve") || thread.createdById === userId;
}

export async function viewThreads(
  db: Db,
  rows: TThreadRow[],
  viewer: { id: string; role: Role },
): Promise<TThreadView[]> {
  const resolverIds = [...new Set(rows.flatMap((r) => (r.resolvedById ? [r.resolvedById] : [])))];
  const resolvers = new Map(
    (await db.user.findMany({ where: { id: { in: resolverIds } }, select: { id: true, name: true } })).map((u) => [
      u.id,
      u,
    ]),
  );
  const mayModerate = mayPerform(viewer.role, "comment.moderate");
  return rows.map((row) => ({
    id: row.id,
    graphId: row.graphId,
    anchor: anchorFromRow(row.anchorKind, row.anchorKey),
    status: row.status === "resolved" ? "resolved" : "open",
    createdAt: row.createdAt,
    resolvedAt: row.resolvedAt,
    resolvedBy: row.resolvedById
      ? (resolvers.get(row.resolvedById) ?? { id: row.resolvedById, name: "(removed user)" })
      : null,
    canResolve: mayResolve(viewer.role, viewer.id, row),
    comments: row.comments.map((c) => {
      const isDeleted = c.deletedAt !== null;
      const isMine = c.authorId === viewer.id;
      return {
        id: c.id,
        author: c.author,
        body: isDeleted ? "" : c.body,
        html: isDeleted ? "" : renderCommentMarkdown(c.body),
        createdAt: c.createdAt,
        editedAt: c.editedAt,
        isDeleted,
        reactions: REACTIONS.map((emoji) => {
          const by = c.reactions.filter((r) => r.emoji === emoji);
          return { emoji, count: by.length, isMine: by.some((r) => r.userId === viewer.id) };
        }).filter((r) => r.count > 0),
        canEdit: isMine && !isDeleted,
        canDelete: !isDeleted && (isMine || mayModerate),
      };
    }),
  }));
}
