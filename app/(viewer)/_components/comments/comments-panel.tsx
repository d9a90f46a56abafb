"use client";
// The viewer's comments panel (members of the graph's workspace only; for anyone else it renders nothing):
// the selected node's threads (or the graph's own when nothing is selected), "commented nodes" open and
// resolved, who else is viewing, count badges on nodes with open threads, and live updates of all of it
// over the tab's one live stream (topic graph:<id>). `?thread=<id>` (a notification's link) opens a thread.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useLiveTopic } from "~/app/_components/live/live-provider";
import { useTRPC } from "~/app/_trpc/react";
import { useViewState } from "../view-store";
import { useViewer } from "../viewer-context";
import { CommentBadges } from "./comment-badges";
import { CommentComposer } from "./comment-composer";
import styles from "./comments.module.css";
import { ThreadView, type TThread } from "./thread-view";
import { usePresence } from "./use-presence";

type TTab = "here" | "all";

function threadFromUrl(): string | null {
  if (typeof window === "undefined") return null;
  return new URLSearchParams(window.location.search).get("thread");
}

export function CommentsPanel({ graphId }: { graphId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { graph, store, renderer } = useViewer();
  const clicked = useViewState(store, (s) => s.clicked);
  const [tab, setTab] = useState<TTab>("here");
  const [listFilter, setListFilter] = useState<"open" | "resolved">("open");
  const [highlighted] = useState(threadFromUrl);
  const presence = usePresence();

  const threadsQuery = useQuery({ ...trpc.comment.list.queryOptions({ graphId }), retry: false });
  const isMember = threadsQuery.isSuccess;
  const muted = useQuery({ ...trpc.notification.isGraphMuted.queryOptions({ graphId }), enabled: isMember });
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.comment.pathKey() });
  const create = useMutation(trpc.comment.create.mutationOptions({ onSuccess: invalidate }));
  const mute = useMutation(
    trpc.notification.muteGraph.mutationOptions({
      onSuccess: () =>
        queryClient.invalidateQueries({ queryKey: trpc.notification.isGraphMuted.queryKey({ graphId }) }),
    }),
  );

  useLiveTopic(isMember ? `graph:${graphId}` : null, (event) => {
    presence.onEvent(event);
    if (/^(comment|thread|reaction)\./.test(event.type) || event.type === "live.reset") void invalidate();
  });

  const indexOf = useMemo(() => {
    const map = new Map<string, number>();
    graph.nodeIds.forEach((id, i) => map.set(id, i));
    return map;
  }, [graph]);
  const threads = useMemo(() => threadsQuery.data ?? [], [threadsQuery.data]);
  const openCounts = useMemo(() => {
    const counts = new Map<number, number>();
    for (const t of threads) {
      if (t.status !== "open" || t.anchor.kind !== "node") continue;
      const index = indexOf.get(t.anchor.nodeId);
      if (index !== undefined) counts.set(index, (counts.get(index) ?? 0) + 1);
    }
    return counts;
  }, [threads, indexOf]);

  if (!isMember) return null;

  const selectedNodeId = clicked !== null ? (graph.nodeIds[clicked] ?? null) : null;
  const selectNode = (nodeId: string) => {
    const index = indexOf.get(nodeId);
    if (index === undefined) return;
    store.select(index);
    renderer?.focusNode(index);
  };
  const here: TThread[] = threads.filter((t) =>
    selectedNodeId ? t.anchor.kind === "node" && t.anchor.nodeId === selectedNodeId : t.anchor.kind === "graph",
  );
  const openTotal = threads.filter((t) => t.status === "open").length;
  const listed = threads.filter((t) => t.status === listFilter);

  return (
    <section className={styles.panel} aria-label="Comments" data-testid="comments-panel">
      <CommentBadges renderer={renderer} counts={openCounts} nodeIds={graph.nodeIds} />
      <h2>
        Comments <span className="muted">({openTotal} open)</span>
        <button
          type="button"
          style={{ marginLeft: "auto" }}
          aria-pressed={muted.data?.isMuted ? "true" : "false"}
          onClick={() => mute.mutate({ graphId, isMuted: !muted.data?.isMuted })}
          title="Muted graphs send you no notifications"
        >
          {muted.data?.isMuted ? "Unmute" : "Mute"}
        </button>
      </h2>
      <p className={styles.presence} data-testid="presence">
        {presence.others.length > 0
          ? `Also viewing: ${presence.others.map((o) => o.name).join(", ")}`
          : "Nobody else is viewing this graph."}
      </p>
      <div className={styles.tabs} role="group" aria-label="Comments view">
        <button type="button" aria-pressed={tab === "here"} onClick={() => setTab("here")}>
          {selectedNodeId ? "This node" : "This graph"}
        </button>
        <button type="button" aria-pressed={tab === "all"} onClick={() => setTab("all")}>
          Commented nodes
        </button>
      </div>
      {tab === "here" ? (
        <>
          <h3>{selectedNodeId ? `On node ${selectedNodeId}` : "On the whole graph"}</h3>
          {here.length === 0 && <p className="muted">No threads yet.</p>}
          {here.map((t) => (
            <ThreadView
              key={t.id}
              thread={t}
              graphId={graphId}
              selectedNodeId={selectedNodeId}
              isHighlighted={t.id === highlighted}
              onNodeRef={selectNode}
            />
          ))}
          <CommentComposer
            graphId={graphId}
            label={selectedNodeId ? "Start a thread on this node" : "Comment on the graph"}
            submitLabel="Comment"
            selectedNodeId={selectedNodeId}
            onSubmit={(body) =>
              create.mutateAsync({
                graphId,
                anchor: selectedNodeId ? { kind: "node", nodeId: selectedNodeId } : { kind: "graph" },
                body,
              })
            }
          />
        </>
      ) : (
        <>
          <div className={styles.tabs} role="group" aria-label="Thread status">
            {(["open", "resolved"] as const).map((s) => (
              <button key={s} type="button" aria-pressed={listFilter === s} onClick={() => setListFilter(s)}>
                {s} ({threads.filter((t) => t.status === s).length})
              </button>
            ))}
          </div>
          <ul className={styles.list} data-testid="commented-nodes">
            {listed.map((t) => (
              <li key={t.id}>
                <button
                  type="button"
                  onClick={() => {
                    if (t.anchor.kind === "node") selectNode(t.anchor.nodeId);
                    else store.select(null);
                    setTab("here");
                  }}
                >
                  {t.anchor.kind === "node" ? <code>{t.anchor.nodeId}</code> : t.anchor.kind}
                </button>{" "}
                <span className="muted">
                  {t.comments[0]?.author.name}:{" "}
                  {t.comments[0]?.isDeleted ? "(deleted)" : (t.comments[0]?.body ?? "").slice(0, 60)}
                  {t.comments.length > 1
                    ? ` · ${t.comments.length - 1} repl${t.comments.length === 2 ? "y" : "ies"}`
                    : ""}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
