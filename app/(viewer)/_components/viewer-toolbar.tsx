"use client";
// Search, the view-time pruning slider, which links are drawn, camera and export.
import { useEffect, useMemo, useRef, useState } from "react";
import { formatLinkMode, LINKS_PER_SELECTED, parseLinkMode } from "./link-mode";
import { isNodeShown } from "./node-facts";
import { PrunedNotice } from "./pruned-notice";
import { SearchBox } from "./search-box";
import { viewStateQuery } from "./url-view-state";
import { useViewState } from "./view-store";
import { useViewer } from "./viewer-context";
import styles from "../viewer.module.css";

const DRAWN_LINK_CHOICES = [1_000, 5_000, 20_000, 50_000];

function download(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

export function ViewerToolbar({
  title,
  graphId,
  searchRef,
}: {
  title: string;
  graphId: string;
  searchRef: React.RefObject<HTMLInputElement | null>;
}) {
  const { graph, store, renderer } = useViewer();
  const threshold = useViewState(store, (s) => s.threshold);
  const linkMode = useViewState(store, (s) => s.linkMode);
  const showAllLinks = useViewState(store, (s) => s.showAllLinks);
  const view = useViewState(store, (s) => s);
  const clicked = useViewState(store, (s) => s.clicked);
  const pinned = useViewState(store, (s) => s.pinned);
  const [sliderValue, setSliderValue] = useState(threshold);
  const frame = useRef(0);
  useEffect(() => setSliderValue(threshold), [threshold]);
  useEffect(() => () => cancelAnimationFrame(frame.current), []);

  const shownCount = useMemo(() => {
    let shown = 0;
    for (let i = 0; i < graph.nodeCount; i += 1) if (isNodeShown(graph, { threshold, clicked, pinned }, i)) shown += 1;
    return shown;
  }, [graph, threshold, clicked, pinned]);

  const choices = DRAWN_LINK_CHOICES.filter((c) => c < graph.strongest.length);
  const exportBase = `/api/graphs/${encodeURIComponent(graphId)}/export`;
  // What is on screen, in the viewer's URL keys (the export route reads the same keys).
  const viewQuery = useMemo(() => viewStateQuery(graph, view, new URLSearchParams()), [graph, view]);

  return (
    <div className={styles.tools} role="toolbar" aria-label="Graph tools">
      <SearchBox inputRef={searchRef} />
      <label title="View-time pruning on cumulative influence: nodes above the threshold are hidden (embeddings, logits, pinned and selected nodes stay)">
        Prune at influence
        <input
          type="range"
          min={0.1}
          max={1}
          step={0.01}
          value={sliderValue}
          aria-valuetext={sliderValue >= 1 ? "1.00, every node" : sliderValue.toFixed(2)}
          onChange={(e) => {
            const value = Number(e.target.value);
            setSliderValue(value);
            cancelAnimationFrame(frame.current);
            frame.current = requestAnimationFrame(() => store.update({ threshold: value }));
          }}
        />
        <output className={styles.num}>{sliderValue.toFixed(2)}</output>
      </label>
      <span className={styles.note} data-testid="shown-count">
        {shownCount.toLocaleString("en")} of {graph.nodeCount.toLocaleString("en")} nodes
        {graph.fileNodeThreshold !== null && <> · file pruned at {graph.fileNodeThreshold}</>}
      </span>
      <label>
        Links drawn
        <select
          value={formatLinkMode(linkMode)}
          onChange={(e) => store.update({ linkMode: parseLinkMode(e.target.value) })}
          data-testid="link-mode"
        >
          <option value="selection">of the hovered, clicked and pinned nodes</option>
          {choices.map((c) => (
            <option key={c} value={`strongest-${c}`}>
              strongest {c.toLocaleString("en")}
            </option>
          ))}
          <option value="all">all {graph.linkCount.toLocaleString("en")}</option>
        </select>
      </label>
      {linkMode.kind === "selection" && (
        <label title={`Otherwise the strongest ${LINKS_PER_SELECTED} inputs and outputs of the clicked node`}>
          <input
            type="checkbox"
            checked={showAllLinks}
            onChange={(e) => store.update({ showAllLinks: e.target.checked })}
          />
          all of the clicked node’s links
        </label>
      )}
      <span className={styles.note} data-testid="links-note">
        {linkMode.kind === "selection"
          ? `Links of the selection: the strongest ${LINKS_PER_SELECTED} per hovered or clicked node (by |weight|), width = share of the target's input.`
          : Number.isFinite(linkMode.count) && linkMode.count < graph.linkCount
            ? `Drawing the ${Math.min(linkMode.count, graph.linkCount).toLocaleString("en")} strongest of ${graph.linkCount.toLocaleString("en")} links (by |weight|); a selected node's links are all drawn.`
            : `All ${graph.linkCount.toLocaleString("en")} links drawn.`}
      </span>
      <span className={styles.inline}>
        <button type="button" className="secondary" aria-label="Zoom in" onClick={() => renderer?.zoom(1.5)}>
          +
        </button>
        <button type="button" className="secondary" aria-label="Zoom out" onClick={() => renderer?.zoom(1 / 1.5)}>
          −
        </button>
        <button type="button" className="secondary" onClick={() => renderer?.resetCamera()}>
          Fit
        </button>
        <button
          type="button"
          className="secondary"
          disabled={!renderer}
          onClick={async () => {
            const blob = await renderer?.exportPng();
            if (blob) download(blob, `${title.replace(/[^\w.-]+/g, "_").slice(0, 80) || "graph"}.png`);
          }}
        >
          Export PNG
        </button>
        <a href={`${exportBase}${viewQuery}`} download data-testid="download-view">
          Download current view
        </a>
        <a href={`${exportBase}?original=1`} download data-testid="download-original">
          Download original file
        </a>
      </span>
      <div style={{ flexBasis: "100%" }} aria-live="polite">
        <PrunedNotice />
      </div>
    </div>
  );
}
