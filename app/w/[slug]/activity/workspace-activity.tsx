"use client";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ActivityFeed, type TActivityItem } from "~/app/_components/activity-feed";
import { useLiveTopic } from "~/app/_components/live/live-provider";
import { useTRPC } from "~/app/_trpc/react";

const FEED_TYPES = new Set([
  "graph.imported",
  "graph.generated",
  "comment.created",
  "thread.resolved",
  "thread.reopened",
]);

export function WorkspaceActivity({ slug, workspaceId }: { slug: string; workspaceId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const latest = useQuery(trpc.activity.workspace.queryOptions({ slug }));
  const [older, setOlder] = useState<{ items: TActivityItem[]; nextBeforeId: number | null } | null>(null);
  useLiveTopic(`workspace:${workspaceId}`, (event) => {
    if (FEED_TYPES.has(event.type) || event.type === "live.reset") {
      void queryClient.invalidateQueries({ queryKey: trpc.activity.workspace.queryKey({ slug }) });
    }
  });
  if (!latest.data) return <p className="muted">{latest.error ? latest.error.message : "Loading…"}</p>;
  const items = [...latest.data.items, ...(older?.items ?? [])];
  const nextBeforeId = older ? older.nextBeforeId : latest.data.nextBeforeId;
  return (
    <>
      <ActivityFeed items={items} isShowingWorkspace={false} />
      {nextBeforeId !== null && (
        <button
          type="button"
          onClick={() =>
            void queryClient
              .fetchQuery(trpc.activity.workspace.queryOptions({ slug, beforeId: nextBeforeId }))
              .then((page) =>
                setOlder({ items: [...(older?.items ?? []), ...page.items], nextBeforeId: page.nextBeforeId }),
              )
          }
        >
          Older
        </button>
      )}
    </>
  );
}
