"use client";
// The viewer's comments panel (members of the graph's workspace only; for anyone else it renders nothing):
// the selected node's threads (or the graph's own when nothing is selected), "commented nodes" open and
// resolved, who else is viewing, count badges on nodes with open threads, and live updates of all of it
// over the tab's one live stream (topic graph:<id>). `?thread=<id>` (a notification's link) opens a thread.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { useLiveTopic } from "~/app/_components/live/live-provider";
import { useTRPC, type RouterInputs } from "~/app/_trpc/react";
import { useViewState } from "../view-store";
import { useViewer } from "../viewer-context";
import { CommentBadges } from "./comment-badges";
import { CommentComposer } from "./comment-composer";
import styles from "./comments.module.css";
import { COMMENT_REQUEST_EVENT, setCommentsAvailable, type TCommentRequest } from "./request-comment";
import { ThreadView, type TThread } from "./thread-view";
import { usePresence } from "./use-presence";

type TTab = "here" | "all";

type TAnchor = RouterInputs["comment"]["create"]["anchor"];

/** What a thread may hang on from here: the selected node (or the graph), and a saved subgraph's parts. */
function anchorChoicesOf(
  nodeId: string | null,
  subgraphId: string | null,
  supernodes: readonly { label: string }[],
): { value: string; label: string; anchor: TAnchor }[] {
  const options: { value: string; label: string; anchor: TAnchor }[] = [
    nodeId
      ? { value: "auto", label: `node ${nodeId}`, anchor: { kind: "node", nodeId } }
      : { value: "auto", label: "the whole graph", anchor: { kind: "graph" } },
  ];
  if (nodeId) options.push({ value: "graph", label: "the whole graph", anchor: { kind: "graph" } });
  if (subgraphId) {
    options.push({ value: "subgraph", label: "this saved subgraph", anchor: { kind: "subgraph", subgraphId } });
    for (const sn of supernodes) {
      options.push({
        value: `supernode:${sn.label}`,
        label: `supernode “${sn.label}”`,
        anchor: { kind: "supernode", subgraphId, label: sn.label },
      });
    }
  }
  return options;
}

function savedSubgraphId(): string | null {
  if (typeof window === "undefined") return null;
  return new URLSearchParams(window.location.search).get("s");
}

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
  const [isCommentedOnly, setCommentedOnly] = useState(false);
  const [highlighted] = useState(threadFromUrl);
  const presence = usePresence();

  // The summary (one grouped query, no bodies) decides membership, draws the badges and lists commented
  // anchors; bodies are read for the anchor on screen only.
  const summary = useQuery({ ...trpc.comment.summary.queryOptions({ graphId }), retry: false });
  const isMember = summary.isSuccess;
  const selectedNodeId = clicked !== null ? (graph.nodeIds[clicked] ?? null) : null;
  const supernodes = useViewState(store, (s) => s.supernodes);
  const [anchorChoice, setAnchorChoice] = useState<string>("auto");
  const anchorOptions = anchorChoicesOf(selectedNodeId, savedSubgraphId(), supernodes);
  const anchor = (anchorOptions.find((o) => o.value === anchorChoice) ?? anchorOptions[0]!).anchor;
  const panelRef = useRef<HTMLElement>(null);
  const threadsQuery = useQuery({ ...trpc.comment.list.queryOptions({ graphId, anchor }), enabled: isMember });
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
  const anchors = useMemo(() => summary.data ?? [], [summary.data]);
  const openCounts = useMemo(() => {
    const counts = new Map<number, number>();
    for (const a of anchors) {
      if (a.open === 0 || a.anchorKind !== "node") continue;
      const index = indexOf.get(a.anchorKey);
      if (index !== undefined) counts.set(index, a.open);
    }
    return counts;
  }, [anchors, indexOf]);

  useEffect(() => {
    setCommentsAvailable(isMember);
    return () => setCommentsAvailable(false);
  }, [isMember]);

  // The "commented nodes" graph filter: nodes without a thread (open or resolved) are dimmed.
  useEffect(() => {
    if (!isCommentedOnly) {
      store.update({ commentedNodes: null });
      return;
    }
    const nodes = new Set<number>();
    for (const a of anchors) {
      const index = a.anchorKind === "node" ? indexOf.get(a.anchorKey) : undefined;
      if (index !== undefined) nodes.add(index);
    }
    store.update({ commentedNodes: nodes });
    return () => store.update({ commentedNodes: null });
  }, [isCommentedOnly, anchors, indexOf, store]);

  useEffect(() => {
    const onRequest = (e: Event) => {
      const request = (e as CustomEvent<TCommentRequest>).detail;
      if (request.kind === "node") {
        const index = indexOf.get(request.nodeId);
        if (index !== undefined) store.select(index);
        setAnchorChoice("auto");
      } else if (request.kind === "graph") {
        setAnchorChoice(store.get().clicked === null ? "auto" : "graph");
      } else {
        setAnchorChoice(request.kind === "subgraph" ? "subgraph" : `supernode:${request.label}`);
      }
      setTab("here");
      requestAnimationFrame(() =>
        panelRef.current?.querySelector<HTMLTextAreaElement>('form[data-role="new-thread"] textarea')?.focus(),
      );
    };
    window.addEventListener(COMMENT_REQUEST_EVENT, onRequest);
    return () => window.removeEventListener(COMMENT_REQUEST_EVENT, onRequest);
  }, [indexOf, store]);

  if (!isMember) return null;

  const selectNode = (nodeId: string) => {
    const index = indexOf.get(nodeId);
    if (index === undefined) return;
    store.select(index);
    renderer?.focusNode(index);
  };
  const here: TThread[] = threadsQuery.data ?? [];
  const openTotal = anchors.reduce((n, a) => n + a.open, 0);
  const listed = anchors.filter((a) => a[listFilter] > 0);

  return (
    <section className={styles.panel} aria-label="Comments" data-testid="comments-panel" ref={panelRef}>
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
      <label className={styles.meta}>
        <input type="checkbox" checked={isCommentedOnly} onChange={(e) => setCommentedOnly(e.target.checked)} /> Dim
        nodes without comments
      </label>
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
          <h3>
            {selectedNodeId && anchor.kind === "node"
              ? `On node ${selectedNodeId}`
              : `On ${anchorOptions.find((o) => o.anchor === anchor)?.label ?? "the whole graph"}`}
          </h3>
          {anchorOptions.length > 1 && (
            <label className={styles.meta}>
              Discuss{" "}
              <select
                value={anchorOptions.some((o) => o.value === anchorChoice) ? anchorChoice : "auto"}
                onChange={(e) => setAnchorChoice(e.target.value)}
              >
                {anchorOptions.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            </label>
          )}
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
            label={
              anchor.kind === "node"
                ? "Start a thread on this node"
                : `Comment on ${anchorOptions.find((o) => o.anchor === anchor)?.label ?? "the graph"}`
            }
            submitLabel="Comment"
            role="new-thread"
            selectedNodeId={selectedNodeId}
            onSubmit={(body) => create.mutateAsync({ graphId, anchor, body })}
          />
        </>
      ) : (
        <>
          <div className={styles.tabs} role="group" aria-label="Thread status">
            {(["open", "resolved"] as const).map((status) => (
              <button
                key={status}
                type="button"
                aria-pressed={listFilter === status}
                onClick={() => setListFilter(status)}
              >
                {status} ({anchors.reduce((n, a) => n + a[status], 0)})
              </button>
            ))}
          </div>
          <ul className={styles.list} data-testid="commented-nodes">
            {listed.map((a) => (
              <li key={`${a.anchorKind}:${a.anchorKey}`}>
                <button
                  type="button"
                  onClick={() => {
                    if (a.anchorKind === "node") selectNode(a.anchorKey);
                    else store.select(null);
                    setTab("here");
                  }}
                >
                  {a.anchorKind === "node" ? <code>{a.anchorKey}</code> : a.anchorKind}
                </button>{" "}
                <span className="muted">
                  {a[listFilter]} {listFilter} thread{a[listFilter] === 1 ? "" : "s"}
                  {a.anchorKind === "node" && !indexOf.has(a.anchorKey) ? " · not in this graph's nodes" : ""}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
