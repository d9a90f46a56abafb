"use client";
// The sigma drawing: creates the renderer (loaded on demand: sigma needs WebGL, so never on the server),
// shows the hover tooltip, and releases everything on unmount.
import { useEffect, useRef, useState } from "react";
import type { GraphRenderer } from "./graph-renderer";
import { displayLabel, formatNumber, tokenAt } from "./node-facts";
import { NodeGlyph } from "./node-glyph";
import type { ViewStore } from "./view-store";
import { KIND_CODE, type TViewerGraph } from "./viewer-graph";
import styles from "../viewer.module.css";

export function GraphCanvas({
  graph,
  store,
  onRenderer,
  onError,
}: {
  graph: TViewerGraph;
  store: ViewStore;
  onRenderer: (renderer: GraphRenderer | null) => void;
  onError: (message: string) => void;
}) {
  const containerRef = useRef<HTMLDivElement>(null);
  const rendererRef = useRef<GraphRenderer | null>(null);
  const [hovered, setHovered] = useState<number | null>(null);
  const [, setViewVersion] = useState(0);

  useEffect(() => {
    let isCancelled = false;
    let frame = 0;
    import("./graph-renderer")
      .then(({ GraphRenderer }) => {
        if (isCancelled || !containerRef.current) return;
        const renderer = new GraphRenderer(containerRef.current, graph, store, {
          onHover: setHovered,
          onViewChange: () => {
            // Re-place the tooltip at most once per frame.
            if (frame === 0) frame = requestAnimationFrame(() => ((frame = 0), setViewVersion((v) => v + 1)));
          },
        });
        rendererRef.current = renderer;
        onRenderer(renderer);
      })
      .catch((error: unknown) =>
        onError(`The graph could not be drawn: ${error instanceof Error ? error.message : String(error)}`),
      );
    return () => {
      isCancelled = true;
      cancelAnimationFrame(frame);
      rendererRef.current?.kill();
      rendererRef.current = null;
      onRenderer(null);
    };
  }, [graph, store, onRenderer, onError]);

  const renderer = rendererRef.current;
  const position = hovered !== null && renderer ? renderer.positionOf(hovered) : null;
  // The tooltip stays inside the canvas: it flips left of the pointer near the right edge, below it near the
  // top, and is never wider than the canvas.
  const frame = renderer?.frameStats();
  const canvasWidth = frame?.width ?? 800;
  const maxWidth = Math.max(120, Math.min(320, canvasWidth - 20));
  const isNearRight = position !== null && position.x + 10 + maxWidth > canvasWidth;
  const isNearTop = position !== null && position.y < 90;
  return (
    <>
      {/* sigma owns this element's children; React renders nothing into it. */}
      <div ref={containerRef} className={styles.sigma} data-testid="graph-canvas" />
      {position && hovered !== null && (
        <div
          className={styles.tooltip}
          // Below the pointer near the top edge, where above would be cut off.
          style={{
            left: isNearRight ? Math.max(maxWidth + 10, position.x) : position.x,
            top: position.y,
            maxWidth,
            transform: `translate(${isNearRight ? "calc(-100% - 10px)" : "10px"}, ${isNearTop ? "14px" : "-110%"})`,
          }}
          data-testid="graph-tooltip"
          role="tooltip"
        >
          <NodeGlyph kind={graph.kinds[hovered]!} /> {displayLabel(graph, store.get(), hovered)}
          <div className="muted">
            {graph.kinds[hovered] === KIND_CODE.embedding ? "embedding" : `L${graph.layers[hovered]}`} · token{" "}
            {tokenAt(graph, hovered)}
            {!Number.isNaN(graph.influence[hovered]!) && <> · influence {formatNumber(graph.influence[hovered]!)}</>}
            {!Number.isNaN(graph.tokenProb[hovered]!) && graph.kinds[hovered] === KIND_CODE.logit && (
              <> · p = {formatNumber(graph.tokenProb[hovered]!)}</>
            )}
          </div>
        </div>
      )}
    </>
  );
}
