/** A thread or comment by id, resolved to its graph and checked against the discussion policy. */
import { authorizeGraphDiscussion, type CommentAction, type DiscussionAccess } from "../../authz/comment-access";
import type { Db } from "../../db/client";
import { AppError } from "../../errors";

export interface ThreadAccess extends DiscussionAccess {
  readonly thread: {
    readonly id: string;
    readonly workspaceId: string;
    readonly graphId: string | null;
    readonly anchorKind: string;
    readonly anchorKey: string;
    readonly status: string;
    readonly createdById: string;
  };
}

/** Anyone who is not a member gets NOT_FOUND here, even on a public graph: ids never reveal a discussion. */
export async function authorizeThread(
  db: Db,
  userId: string,
  threadId: string,
  action: CommentAction,
): Promise<ThreadAccess> {
  const thread = await db.commentThread.findUnique({
    where: { id: threadId },
    select: {
      id: true,
      workspaceId: true,
      graphId: true,
      anchorKind: true,
      anchorKey: true,
      status: true,
      createdById: true,
    },
  });
  if (!thread) throw new AppError("NOT_FOUND", "Thread not found");
  const isMember = await db.membership.count({ where: { workspaceId: thread.workspaceId, userId } });
  if (!isMember) throw new AppError("NOT_FOUND", "Thread not found");
  const access = await authorizeGraphDiscussion(
    db,
    userId,
    thread.graphId ? { graphId: thread.graphId } : { workspaceId: thread.workspaceId },
    action,
  );
  return { ...access, thread };
}

export async function authorizeComment(db: Db, userId: string, commentId: string, action: CommentAction) {
  const comment = await db.comment.findUnique({
    where: { id: commentId },
    select: { id: true, threadId: true, authorId: true, body: true, deletedAt: true },
  });
  if (!comment) throw new AppError("NOT_FOUND", "Comment not found");
  const access = await authorizeThread(db, userId, comment.threadId, action).catch((error: unknown) => {
    throw error instanceof AppError && error.code === "NOT_FOUND"
      ? new AppError("NOT_FOUND", "Comment not found")
      : error;
  });
  return { ...access, comment };
}
