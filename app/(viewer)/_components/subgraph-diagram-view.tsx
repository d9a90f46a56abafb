"use client";
// The subgraph diagram: supernodes as boxes with their name and member count, single pins as boxes with
// their label, edges between boxes (summed member-to-member weights of the full graph, coloured by sign).
// Drag a box to move it (positions are part of the view: URL, saved subgraph, export's sg_pos); click a
// supernode to list and edit its members, a single pin to select it. Resizable; "Maximise" fills the window.
import { useEffect, useMemo, useRef, useState } from "react";
import { signedColor } from "./graph-style";
import { displayLabel, tokenAt } from "./node-facts";
import { NodeGlyph } from "./node-glyph";
import { DIAGRAM_SIZE, diagramEdges, diagramGroups } from "./subgraph-diagram";
import { useViewState } from "./view-store";
import { useViewer } from "./viewer-context";
import styles from "../viewer.module.css";

const BOX_W = 150;
const BOX_H = 44;

export function SubgraphDiagram() {
  const { graph, store } = useViewer();
  const pinned = useViewState(store, (s) => s.pinned);
  const supernodes = useViewState(store, (s) => s.supernodes);
  const positions = useViewState(store, (s) => s.positions);
  const clerps = useViewState(store, (s) => s.clerps);
  const shownLabels = useViewState(store, (s) => s.shownLabels);
  const clicked = useViewState(store, (s) => s.clicked);
  const [size, setSize] = useState({ width: 600, height: 360 });
  const [isMaximised, setIsMaximised] = useState(false);
  const [drag, setDrag] = useState<{ key: string; x: number; y: number; moved: boolean } | null>(null);
  const [openGroup, setOpenGroup] = useState<string | null>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  const justDragged = useRef(false);

  useEffect(() => {
    const element = boxRef.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setSize({ width: entry.contentRect.width, height: entry.contentRect.height });
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [isMaximised]);

  // Esc leaves the full-window diagram (graph-viewer.tsx then leaves the selection alone).
  useEffect(() => {
    if (!isMaximised) return;
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setIsMaximised(false);
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [isMaximised]);

  const groups = useMemo(
    () => diagramGroups(graph, { pinned, supernodes, positions }),
    [graph, pinned, supernodes, positions],
  );
  const edges = useMemo(() => diagramEdges(graph, groups), [graph, groups]);
  if (groups.length === 0) return null;

  // Diagram units (0..1000) to pixels, keeping boxes inside.
  const px = (x: number) => BOX_W / 2 + (x / DIAGRAM_SIZE) * Math.max(size.width - BOX_W, 1);
  const py = (y: number) => BOX_H / 2 + (y / DIAGRAM_SIZE) * Math.max(size.height - BOX_H, 1);
  // Dragging follows the pointer by its movement since pointerdown, on window listeners (so a fast pointer
  // that leaves the box still drags it); the arrangement is saved when the pointer is released.
  const startDrag = (e: React.PointerEvent, key: string, x0: number, y0: number) => {
    if (e.button !== 0) return;
    const [cx, cy] = [e.clientX, e.clientY];
    let last: { x: number; y: number } | null = null;
    const onMove = (ev: PointerEvent) => {
      if (last === null && Math.abs(ev.clientX - cx) + Math.abs(ev.clientY - cy) < 4) return;
      const rect = boxRef.current!.getBoundingClientRect();
      const clamp = (v: number) => Math.min(DIAGRAM_SIZE, Math.max(0, v));
      last = {
        x: clamp(x0 + ((ev.clientX - cx) / Math.max(rect.width - BOX_W, 1)) * DIAGRAM_SIZE),
        y: clamp(y0 + ((ev.clientY - cy) / Math.max(rect.height - BOX_H, 1)) * DIAGRAM_SIZE),
      };
      setDrag({ key, ...last, moved: true });
    };
    const onUp = () => {
      window.removeEventListener("pointermove", onMove);
      window.removeEventListener("pointerup", onUp);
      if (last !== null) {
        justDragged.current = true;
        // Cleared after the click that may follow this pointerup (none comes when it ends off the box).
        setTimeout(() => (justDragged.current = false), 0);
        // The whole arrangement is kept once the user arranges it (circuit-tracer's sg_pos has every box),
        // so later pins or another window size do not reshuffle the rest.
        const all = new Map(groups.map((other) => [other.key, [Math.round(other.x), Math.round(other.y)] as const]));
        all.set(key, [Math.round(last.x), Math.round(last.y)]);
        store.update({ positions: all });
      }
      setDrag(null);
    };
    window.addEventListener("pointermove", onMove);
    window.addEventListener("pointerup", onUp);
  };
  const at = (i: number) => {
    const g = groups[i]!;
    return drag && drag.key === g.key ? { x: drag.x, y: drag.y } : { x: g.x, y: g.y };
  };
  const open = groups.find((g) => g.key === openGroup && g.supernode !== null);

  return (
    <div
      className={isMaximised ? styles.diagramMax : undefined}
      data-testid="subgraph-diagram"
      data-maximised={isMaximised ? "true" : undefined}
    >
      <div className={styles.inline} style={{ justifyContent: "space-between" }}>
        <span className={styles.note}>
          {groups.length} boxes · drag to arrange · edges: summed link weights between members
        </span>
        <button type="button" className="secondary" onClick={() => setIsMaximised((m) => !m)}>
          {isMaximised ? "Restore" : "Maximise"}
        </button>
      </div>
      <div ref={boxRef} className={styles.diagram} role="group" aria-label="Subgraph diagram">
        <svg width={size.width} height={size.height} aria-hidden="true" style={{ position: "absolute", inset: 0 }}>
          {edges.map((e) => {
            const a = at(e.from);
            const b = at(e.to);
            return (
              <line
                key={`${e.from}-${e.to}`}
                x1={px(a.x)}
                y1={py(a.y)}
                x2={px(b.x)}
                y2={py(b.y)}
                stroke={signedColor(e.relative, 0.35 + 0.6 * Math.abs(e.relative))}
                strokeWidth={1 + 5 * Math.abs(e.relative)}
                data-testid="diagram-edge"
              />
            );
          })}
        </svg>
        {groups.map((g, i) => {
          const p = at(i);
          const isSupernode = g.supernode !== null;
          const single = g.members[0]!;
          const title = isSupernode
            ? supernodes[g.supernode!]!.label
            : displayLabel(graph, { clerps, supernodes, shownLabels }, single);
          return (
            <button
              type="button"
              key={g.key}
              className={`${styles.diagramBox} ${isSupernode ? styles.diagramSupernode : ""} ${
                !isSupernode && single === clicked ? styles.diagramClicked : ""
              }`}
              style={{ left: px(p.x) - BOX_W / 2, top: py(p.y) - BOX_H / 2, width: BOX_W, height: BOX_H }}
              data-group-key={g.key}
              title={title}
              onPointerDown={(e) => startDrag(e, g.key, g.x, g.y)}
              onClick={() => {
                // A click that ended a drag is not a click (the box was moved, not chosen).
                if (justDragged.current) {
                  justDragged.current = false;
                  return;
                }
                if (isSupernode) setOpenGroup((k) => (k === g.key ? null : g.key));
                else store.select(single);
              }}
            >
              <span className={styles.diagramLabel}>
                {!isSupernode && <NodeGlyph kind={graph.kinds[single]!} />} {title}
              </span>
              <span className={styles.diagramMeta}>
                {isSupernode ? `${g.members.length} members` : `L${graph.layers[single]} · ${tokenAt(graph, single)}`}
              </span>
            </button>
          );
        })}
      </div>
      {open && (
        <div className={styles.supernode} data-testid="diagram-members">
          <strong>{supernodes[open.supernode!]!.label}</strong>
          <ul className={styles.pinList}>
            {open.members.map((m) => (
              <li key={m} data-node-id={graph.nodeIds[m]}>
                <NodeGlyph kind={graph.kinds[m]!} />
                <button type="button" className={styles.row} style={{ width: "auto" }} onClick={() => store.select(m)}>
                  {displayLabel(graph, { clerps, supernodes, shownLabels }, m)}
                </button>
                <button
                  type="button"
                  className="secondary"
                  onClick={() => store.removeFromSupernode(open.supernode!, m)}
                >
                  Remove from group
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
