"use client";
// One thread: its comments (deleted ones keep their place), reactions, reply, edit own, delete, resolve.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC, type RouterOutputs } from "~/app/_trpc/react";
import { CommentBody } from "./comment-body";
import { CommentComposer } from "./comment-composer";
import styles from "./comments.module.css";

export type TThread = RouterOutputs["comment"]["list"][number];
const REACTIONS = ["👍", "👎", "🎉", "❤️", "👀", "🤔"] as const;

export function ThreadView({
  thread,
  graphId,
  selectedNodeId,
  isHighlighted,
  onNodeRef,
}: {
  thread: TThread;
  graphId: string;
  selectedNodeId: string | null;
  isHighlighted: boolean;
  onNodeRef: (nodeId: string) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const onSuccess = () => queryClient.invalidateQueries({ queryKey: trpc.comment.pathKey() });
  const reply = useMutation(trpc.comment.reply.mutationOptions({ onSuccess }));
  const edit = useMutation(trpc.comment.edit.mutationOptions({ onSuccess }));
  const remove = useMutation(trpc.comment.delete.mutationOptions({ onSuccess }));
  const resolve = useMutation(trpc.comment.resolve.mutationOptions({ onSuccess }));
  const reopen = useMutation(trpc.comment.reopen.mutationOptions({ onSuccess }));
  const react = useMutation(trpc.comment.react.mutationOptions({ onSuccess }));
  const [editing, setEditing] = useState<string | null>(null);
  const [isReplying, setReplying] = useState(isHighlighted);
  const failure = [remove, resolve, reopen, react].find((m) => m.error)?.error?.message;

  return (
    <article
      className={styles.thread}
      data-testid="comment-thread"
      data-thread-id={thread.id}
      data-status={thread.status}
      data-highlighted={isHighlighted ? "true" : "false"}
      ref={(el) => {
        if (el && isHighlighted) el.scrollIntoView({ block: "nearest" });
      }}
    >
      {thread.comments.map((c) => (
        <div key={c.id} className={styles.comment} data-testid="comment" data-comment-id={c.id}>
          <div className={styles.meta}>
            <strong>{c.author.name}</strong>
            <time dateTime={new Date(c.createdAt).toISOString()}>{new Date(c.createdAt).toLocaleString()}</time>
            {c.editedAt && <span title={new Date(c.editedAt).toLocaleString()}>(edited)</span>}
            {c.canEdit && editing !== c.id && (
              <button type="button" onClick={() => setEditing(c.id)}>
                Edit
              </button>
            )}
            {c.canDelete && (
              <button
                type="button"
                onClick={() => {
                  if (window.confirm("Delete this comment?")) remove.mutate({ commentId: c.id });
                }}
              >
                Delete
              </button>
            )}
          </div>
          {c.isDeleted ? (
            <p className="muted" style={{ margin: 0 }}>
              <em>deleted</em>
            </p>
          ) : editing === c.id ? (
            <CommentComposer
              graphId={graphId}
              label="Edit comment"
              submitLabel="Save"
              initial={c.body}
              selectedNodeId={selectedNodeId}
              onSubmit={async (body) => {
                await edit.mutateAsync({ commentId: c.id, body });
                setEditing(null);
              }}
              onCancel={() => setEditing(null)}
            />
          ) : (
            <CommentBody html={c.html} onNodeRef={onNodeRef} />
          )}
          {!c.isDeleted && (
            <div className={styles.reactions}>
              {REACTIONS.map((emoji) => {
                const r = c.reactions.find((x) => x.emoji === emoji);
                if (!r && !isHighlighted && c.reactions.length > 0) return null;
                return (
                  <button
                    key={emoji}
                    type="button"
                    aria-pressed={r?.isMine ? "true" : "false"}
                    aria-label={`React ${emoji}`}
                    onClick={() => react.mutate({ commentId: c.id, emoji })}
                  >
                    {emoji}
                    {r ? ` ${r.count}` : ""}
                  </button>
                );
              })}
            </div>
          )}
        </div>
      ))}
      <div className={styles.meta}>
        <span data-testid="thread-status">
          {thread.status === "resolved" ? `resolved by ${thread.resolvedBy?.name ?? "?"}` : "open"}
        </span>
        {thread.canResolve &&
          (thread.status === "open" ? (
            <button type="button" onClick={() => resolve.mutate({ threadId: thread.id })}>
              Resolve
            </button>
          ) : (
            <button type="button" onClick={() => reopen.mutate({ threadId: thread.id })}>
              Reopen
            </button>
          ))}
        {!isReplying && (
          <button type="button" onClick={() => setReplying(true)}>
            Reply
          </button>
        )}
      </div>
      {isReplying && (
        <CommentComposer
          graphId={graphId}
          label="Reply"
          submitLabel="Reply"
          selectedNodeId={selectedNodeId}
          onSubmit={(body) => reply.mutateAsync({ threadId: thread.id, body })}
          onCancel={() => setReplying(false)}
        />
      )}
      {failure && (
        <p className={styles.error} role="alert">
          {failure}
        </p>
      )}
    </article>
  );
}
