"use client";
// The unread count in the navigation, kept live by the user's own topic (user:<id>).
import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "../_trpc/react";
import { useLiveTopic } from "./live/live-provider";

export function NotificationBell({ userId }: { userId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const unread = useQuery(trpc.notification.unreadCount.queryOptions());
  useLiveTopic(`user:${userId}`, (event) => {
    if (event.type.startsWith("notification.") || event.type === "live.reset") {
      void queryClient.invalidateQueries({ queryKey: trpc.notification.pathKey() });
    }
  });
  const count = unread.data ?? 0;
  return (
    <Link href="/notifications" data-testid="notification-bell" aria-label={`Notifications: ${count} unread`}>
      Notifications
      {count > 0 && (
        <span className="badge" data-testid="unread-count" style={{ marginLeft: "0.3rem" }}>
          {count}
        </span>
      )}
    </Link>
  );
}
