"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useLiveTopic } from "../_components/live/live-provider";
import { useTRPC, type RouterOutputs } from "../_trpc/react";

type TItem = RouterOutputs["notification"]["list"][number];

const VERB: Record<TItem["kind"], string> = {
  mention: "mentioned you",
  reply: "replied in a thread you wrote in",
  resolve: "resolved your thread",
};

function anchorText(anchor: TItem["anchor"]): string {
  switch (anchor.kind) {
    case "node":
      return `node ${anchor.nodeId}`;
    case "graph":
      return "the graph";
    case "subgraph":
      return "a saved subgraph";
    case "supernode":
      return `supernode “${anchor.label}”`;
  }
}

export function NotificationList({ userId, initial }: { userId: string; initial: TItem[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery({ ...trpc.notification.list.queryOptions({}), initialData: initial });
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.notification.pathKey() });
  const markRead = useMutation(trpc.notification.markRead.mutationOptions({ onSuccess: invalidate }));
  const markAll = useMutation(trpc.notification.markAllRead.mutationOptions({ onSuccess: invalidate }));
  useLiveTopic(`user:${userId}`, (event) => {
    if (event.type.startsWith("notification.") || event.type === "live.reset") void invalidate();
  });
  const items = list.data;
  return (
    <>
      <p>
        <button type="button" onClick={() => markAll.mutate()} disabled={!items.some((i) => !i.isRead)}>
          Mark all read
        </button>
      </p>
      {items.length === 0 && <p className="muted">Nothing yet. Mentions, replies and resolves show up here.</p>}
      <ul style={{ listStyle: "none", padding: 0, display: "grid", gap: "0.5rem" }} data-testid="notifications">
        {items.map((item) => (
          <li
            key={item.id}
            data-testid="notification"
            data-read={item.isRead ? "true" : "false"}
            style={{
              border: "1px solid var(--line)",
              borderRadius: "var(--radius)",
              padding: "0.5rem 0.7rem",
              background: item.isRead ? "transparent" : "var(--panel)",
            }}
          >
            <Link
              href={item.href}
              onClick={() => {
                if (!item.isRead) markRead.mutate({ notificationIds: [item.id] });
              }}
            >
              <strong>{item.actorName}</strong> {VERB[item.kind]} on {anchorText(item.anchor)}
              {item.graphTitle ? ` in “${item.graphTitle}”` : ""}
            </Link>{" "}
            <span className="muted">
              · {item.workspace.name} · {new Date(item.createdAt).toLocaleString()}
            </span>
            {item.excerpt && (
              <div className="muted" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
                {item.excerpt}
              </div>
            )}
            {!item.isRead && (
              <button type="button" onClick={() => markRead.mutate({ notificationIds: [item.id] })}>
                Mark read
              </button>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
