"use client";
// Search, the view-time pruning slider, how many links are drawn, camera and export.
import { useEffect, useMemo, useRef, useState } from "react";
import { isNodeShown } from "./node-facts";
import { PrunedNotice } from "./pruned-notice";
import { SearchBox } from "./search-box";
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
  exportHref,
  searchRef,
}: {
  title: string;
  exportHref: string;
  searchRef: React.RefObject<HTMLInputElement | null>;
}) {
  const { graph, store, renderer } = useViewer();
  const threshold = useViewState(store, (s) => s.threshold);
  const drawnLinks = useViewState(store, (s) => s.drawnLinks);
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
  if (graph.strongest.length > 0) choices.push(graph.strongest.length);
  const drawn = Math.min(drawnLinks, graph.strongest.length);

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
        <select value={drawn} onChange={(e) => store.update({ drawnLinks: Number(e.target.value) })}>
          {choices.map((c) => (
            <option key={c} value={c}>
              {c === graph.linkCount ? `all ${c.toLocaleString("en")}` : `strongest ${c.toLocaleString("en")}`}
            </option>
          ))}
        </select>
      </label>
      <span className={styles.note} data-testid="links-note">
        {drawn < graph.linkCount
          ? `Drawing the ${drawn.toLocaleString("en")} strongest of ${graph.linkCount.toLocaleString("en")} links (by |weight|); a selected node's links are all drawn.`
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
        <a href={exportHref} download>
          Download JSON
        </a>
      </span>
      <div style={{ flexBasis: "100%" }} aria-live="polite">
        <PrunedNotice />
      </div>
    </div>
  );
}
