"use client";
// The viewer page's client root: loads the graph off the main thread, sets up the view state (URL keys, else
// the saved subgraph ?s=, else the file's own qParams), and lays out the graph and its panels.
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { CaptureToStudy } from "./capture-to-study";
import { CommentsPanel } from "./comments/comments-panel";
import { ConnectionsPanel } from "./connections-panel";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/app/_trpc/react";
import { FeaturePanel } from "./feature-panel";
import { GraphFactsPanel, type TGraphFactsProps } from "./graph-facts-panel";
import { GraphCanvas } from "./graph-canvas";
import { InterventionPanel } from "./interventions/intervention-panel";
import type { GraphRenderer } from "./graph-renderer";
import { parseLinkMode } from "./link-mode";
import { loadViewerGraph, type TLoadProgress } from "./load-viewer-graph";
import type { TParseTimings } from "./parse-protocol";
import { SubgraphPanel } from "./subgraph-panel";
import { UrlSync } from "./url-sync";
import { viewStateFromUrl, type TSearchParams } from "./url-view-state";
import { strongestNeighbour, walkDirectionOf, WALK_HELP } from "./keyboard-walk";
import { initialViewState, ViewStore } from "./view-store";
import { ViewerContext, type TViewerContext } from "./viewer-context";
import type { TViewerGraph, TViewStateRefs } from "./viewer-graph";
import { ViewerToolbar } from "./viewer-toolbar";
import styles from "../viewer.module.css";

export interface TGraphViewerProps {
  readonly graphId: string;
  readonly title: string;
  readonly searchParams: TSearchParams;
  /** The saved subgraph named by ?s=, when there is one. */
  readonly subgraph: { readonly id: string; readonly name: string; readonly state: TViewStateRefs } | null;
  readonly canSave: boolean;
  readonly isSignedIn: boolean;
  /** What the server knows of the graph (title, description, stored model / transcoder-set ids). */
  readonly facts: TGraphFactsProps;
  /** Embedded in another site's page (/embed/g/…): no saving, no settings, smaller chrome. */
  readonly isEmbed?: boolean;
  /** The graph's workspace slug when the reader is a member (their labels go to its scope), else null. */
  readonly memberSlug?: string | null;
  /**
   * A case-study reader (/s/…): the body comes from the version's capability route (`dataUrl`), the URL is not
   * rewritten, and only the panels that read nothing but the graph are shown (no comments, saved subgraphs or
   * interventions). `onReady` hands the loaded viewer to the reader, which moves it from step to step.
   */
  readonly caseStudy?: { readonly dataUrl: string; readonly onReady: (viewer: TViewerContext) => void };
}

/**
 * The side panels, in order. A panel is one entry: other features add theirs here (comments, interventions),
 * each a component of its own folder that reads the viewer through useViewer().
 */
function sidePanels(p: TGraphViewerProps): { readonly id: string; readonly node: ReactNode }[] {
  if (p.caseStudy) {
    return [
      { id: "feature", node: <FeaturePanel /> },
      { id: "connections", node: <ConnectionsPanel /> },
    ];
  }
  return [
    { id: "facts", node: <GraphFactsPanel {...p.facts} /> },
    {
      id: "feature",
      node: (
        <FeaturePanel
          labels={
            p.isSignedIn && !p.isEmbed && p.facts.transcoderSet !== ""
              ? { modelId: p.facts.modelId, transcoderSetId: p.facts.transcoderSet, slug: p.memberSlug ?? null }
              : null
          }
        />
      ),
    },
    ...(p.isSignedIn ? [{ id: "comments", node: <CommentsPanel graphId={p.graphId} /> }] : []),
    { id: "connections", node: <ConnectionsPanel /> },
  ];
}

type TLoadState =
  | { kind: "loading"; progress: TLoadProgress | null }
  | { kind: "ready"; graph: TViewerGraph; store: ViewStore; timings: TParseTimings }
  | { kind: "error"; message: string };

function describeProgress(progress: TLoadProgress | null): string {
  if (!progress) return "Loading graph…";
  const mb = (progress.loadedBytes / 1e6).toFixed(1);
  if (progress.phase === "downloading") return `Downloading graph… ${mb} MB`;
  if (progress.phase === "parsing") return `Reading ${mb} MB of graph JSON…`;
  return "Indexing links…";
}

/** Test and benchmark hook: where a node is drawn (so a real pointer can click it), and how loading went. */
interface TViewerHook {
  positionOf(nodeId: string): { x: number; y: number } | null;
  positionOfIndex(node: number): { x: number; y: number };
  /** Whether a node is drawn dimmed (the "commented nodes" filter, a selection's non-neighbours). */
  isFaded(nodeId: string): boolean | null;
  /** What the last frame drew: sigma's edges, overlay links, canvas size, token and logit label boxes. */
  frameStats(): ReturnType<GraphRenderer["frameStats"]>;
  nodeCount: number;
  linkCount: number;
  timings: TParseTimings;
  /** sigma's camera now (x, y, ratio). */
  camera(): { x: number; y: number; ratio: number };
  /** The view now, as node_ids: pinned, clicked. */
  pinnedIds(): string[];
  clickedId(): string | null;
}
declare global {
  interface Window {
    __circuitboardViewer?: TViewerHook;
  }
}

export function GraphViewer(props: TGraphViewerProps) {
  const { graphId, title, searchParams, subgraph, canSave, isSignedIn } = props;
  const [load, setLoad] = useState<TLoadState>({ kind: "loading", progress: null });
  const [renderer, setRenderer] = useState<GraphRenderer | null>(null);
  const [drawError, setDrawError] = useState<string | null>(null);
  const urlSync = useRef<UrlSync | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const fromUrl = useMemo(() => viewStateFromUrl(searchParams), [searchParams]);

  useEffect(() => {
    const refs = fromUrl.refs ?? subgraph?.state ?? null;
    const { result, cancel } = loadViewerGraph(
      graphId,
      refs,
      (progress) => setLoad({ kind: "loading", progress }),
      props.isEmbed === true,
      props.caseStudy?.dataUrl,
    );
    let isCancelled = false;
    result.then(
      ({ graph, timings }) => {
        if (isCancelled) return;
        performance.mark("viewer:parsed");
        const linksParam = searchParams.links;
        const linkMode = parseLinkMode(Array.isArray(linksParam) ? linksParam[0] : linksParam);
        const store = new ViewStore(initialViewState(graph.initialState, linkMode));
        if (!props.caseStudy) urlSync.current = new UrlSync(graph, store);
        setLoad({ kind: "ready", graph, store, timings });
      },
      (error: unknown) =>
        !isCancelled && setLoad({ kind: "error", message: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      isCancelled = true;
      cancel();
      urlSync.current?.dispose();
      urlSync.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the case-study props are fixed per graph
  }, [graphId, fromUrl, subgraph, searchParams, props.isEmbed]);

  useEffect(() => {
    if (load.kind !== "ready" || !renderer) return;
    const { graph } = load;
    window.__circuitboardViewer = {
      positionOf: (nodeId) => {
        const index = graph.nodeIds.lastIndexOf(nodeId);
        return index < 0 ? null : renderer.positionOf(index);
      },
      positionOfIndex: (node) => renderer.positionOf(node),
      isFaded: (nodeId) => {
        const index = graph.nodeIds.lastIndexOf(nodeId);
        return index < 0 ? null : renderer.isFaded(index);
      },
      frameStats: () => renderer.frameStats(),
      nodeCount: graph.nodeCount,
      linkCount: graph.linkCount,
      timings: load.timings,
      camera: () => renderer.cameraState(),
      pinnedIds: () => load.store.get().pinned.map((i) => graph.nodeIds[i] ?? String(i)),
      clickedId: () => {
        const clicked = load.store.get().clicked;
        return clicked === null ? null : (graph.nodeIds[clicked] ?? String(clicked));
      },
    };
    return () => {
      delete window.__circuitboardViewer;
    };
  }, [load, renderer]);

  // The label system's labels for this graph's features (label.shownForGraph), merged in below the view's overrides.
  const trpc = useTRPC();
  // An embed shows what an anonymous visitor may see, whatever session the browser sends along.
  const shown = useQuery(trpc.label.shownForGraph.queryOptions({ graphId, asAnonymous: props.isEmbed === true }));
  useEffect(() => {
    if (load.kind === "ready" && shown.data) load.store.setShownLabels(shown.data);
  }, [load, shown.data]);
  const onReady = props.caseStudy?.onReady;
  useEffect(() => {
    if (load.kind === "ready" && renderer && onReady) onReady({ graph: load.graph, store: load.store, renderer });
  }, [load, renderer, onReady]);
  // `/` focuses the search and Esc closes a panel or clears the selection, from anywhere on the page (not
  // while typing).
  useEffect(() => {
    if (load.kind !== "ready") return;
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      const isTyping =
        !!target && (["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName) || target.isContentEditable);
      if (isTyping || e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key === "/") {
        e.preventDefault();
        searchRef.current?.focus();
      } else if (e.key === "Escape") {
        // One press closes the open popover (Share) or the full-window diagram; otherwise clears the selection.
        const popover = document.querySelector<HTMLDetailsElement>("details[open][data-closes-on-escape]");
        if (popover) popover.open = false;
        else if (!document.querySelector('[data-maximised="true"]'))
          load.store.update({ clicked: null, focused: null });
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [load]);

  const onError = useCallback((message: string) => setDrawError(message), []);
  const context = useMemo(
    () => (load.kind === "ready" ? { graph: load.graph, store: load.store, renderer } : null),
    [load, renderer],
  );
  const problems = [
    ...fromUrl.problems,
    ...(load.kind === "ready"
      ? load.graph.initialState.unresolved.map((r) => `${JSON.stringify(r)} names no node of this graph`)
      : []),
  ];

  const graphArea = (
    <div
      className={styles.graphArea}
      tabIndex={0}
      role="region"
      aria-label={`Attribution graph: click a node to select it, Ctrl/⌘-click to pin it; keys: ${WALK_HELP}`}
      aria-keyshortcuts="ArrowUp ArrowDown ArrowLeft ArrowRight / Escape"
      onKeyDown={(e) => {
        if (load.kind !== "ready") return;
        const direction = walkDirectionOf(e.key);
        if (!direction || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
        e.preventDefault(); // the arrows walk the graph here, they do not scroll the page
        const next = strongestNeighbour(load.graph, load.store.get(), direction);
        if (next === null) return;
        load.store.select(next);
        renderer?.focusNode(next);
      }}
    >
      {context ? (
        <>
          <GraphCanvas graph={context.graph} store={context.store} onRenderer={setRenderer} onError={onError} />
          <div className={styles.legend} aria-hidden="true">
            <span data-testid="keyboard-help">{WALK_HELP}</span>
            <span>
              <span style={{ color: "#6b8fc7" }}>●</span> feature
            </span>
            <span>
              <span style={{ color: "#b4bac3" }}>◆</span> error
            </span>
            <span>
              <span style={{ color: "#4e9a57" }}>■</span> embedding
            </span>
            <span>
              <span style={{ color: "#e08a2e" }}>■</span> logit
            </span>
            <span>
              <span style={{ color: "#1b7837" }}>━</span> +
            </span>
            <span>
              <span style={{ color: "#762a83" }}>━</span> −
            </span>
          </div>
        </>
      ) : null}
      {load.kind === "loading" && (
        <div className={styles.status} role="status">
          {describeProgress(load.progress)}
        </div>
      )}
      {(load.kind === "error" || drawError) && (
        <div className={styles.status} role="alert">
          <p className="error">{load.kind === "error" ? load.message : drawError}</p>
        </div>
      )}
    </div>
  );

  return (
    <div className={styles.viewer} data-testid="graph-viewer" data-ready={renderer ? "true" : "false"}>
      {context ? (
        <ViewerContext value={context}>
          <div className={styles.toolsArea}>
            <ViewerToolbar title={title} graphId={graphId} searchRef={searchRef} />
            {canSave && !props.caseStudy && !props.isEmbed ? <CaptureToStudy graphId={graphId} /> : null}
            {problems.length > 0 && (
              <p className={styles.notice} role="status">
                Parts of the saved view were skipped: {problems.slice(0, 5).join("; ")}
                {problems.length > 5 ? ` (and ${problems.length - 5} more)` : ""}.
              </p>
            )}
          </div>
          {graphArea}
          <div className={styles.side}>
            {sidePanels(props).map((panel) => (
              <div key={panel.id} data-panel={panel.id}>
                {panel.node}
              </div>
            ))}
          </div>
          {props.caseStudy ? null : (
            <div className={styles.subgraphArea}>
              <SubgraphPanel
                graphId={graphId}
                canSave={canSave}
                isSignedIn={isSignedIn}
                onSaved={(id) => urlSync.current?.showSaved(id)}
              />
              <InterventionPanel
                graphId={graphId}
                canRun={canSave}
                openId={typeof searchParams.intervention === "string" ? searchParams.intervention : null}
              />
            </div>
          )}
        </ViewerContext>
      ) : (
        graphArea
      )}
    </div>
  );
}
