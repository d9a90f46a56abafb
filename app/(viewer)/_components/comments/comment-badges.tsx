"use client";
// Count badges on nodes with open threads, on a 2-D canvas over the graph (never inside sigma's frame).
// Cheap by construction: each animation frame reads the screen position of two nodes; only when the camera
// moved (those positions changed), the size changed or the counts changed are the badges redrawn, so an
// idle or untouched view costs two function calls per frame.
import { useEffect, useRef, useState } from "react";
import { createPortal } from "react-dom";
import type { GraphRenderer } from "../graph-renderer";
import styles from "./comments.module.css";

export function CommentBadges({
  renderer,
  counts,
  nodeIds,
}: {
  renderer: GraphRenderer | null;
  nodeIds: readonly string[];
  /** node index → open threads */
  counts: ReadonlyMap<number, number>;
}) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [host, setHost] = useState<HTMLElement | null>(null);
  useEffect(() => {
    // The drawing's box (the graph area): the badges share its coordinates.
    setHost(
      renderer ? (document.querySelector<HTMLElement>('[data-testid="graph-canvas"]')?.parentElement ?? null) : null,
    );
  }, [renderer]);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!renderer || !canvas) return;
    const ctx = canvas.getContext("2d");
    if (!ctx) return;
    const entries = [...counts];
    const probe = entries.length > 0 ? [entries[0]![0], entries.at(-1)![0]] : [];
    let signature = "";
    let frame = 0;
    const draw = () => {
      frame = requestAnimationFrame(draw);
      const width = canvas.clientWidth;
      const height = canvas.clientHeight;
      const next = `${width}x${height}:${probe
        .map((n) => {
          const p = renderer.positionOf(n);
          return `${p.x.toFixed(1)},${p.y.toFixed(1)}`;
        })
        .join(";")}`;
      if (next === signature) return;
      signature = next;
      const ratio = window.devicePixelRatio || 1;
      if (canvas.width !== Math.round(width * ratio)) canvas.width = Math.round(width * ratio);
      if (canvas.height !== Math.round(height * ratio)) canvas.height = Math.round(height * ratio);
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, width, height);
      ctx.font = "600 10px system-ui, sans-serif";
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      for (const [node, count] of entries) {
        const { x, y } = renderer.positionOf(node);
        if (x < -10 || y < -10 || x > width + 10 || y > height + 10) continue;
        const bx = x + 9;
        const by = y - 9;
        ctx.beginPath();
        ctx.arc(bx, by, 7, 0, Math.PI * 2);
        ctx.fillStyle = "#d1242f";
        ctx.fill();
        ctx.fillStyle = "#fff";
        ctx.fillText(count > 9 ? "9+" : String(count), bx, by + 0.5);
      }
    };
    frame = requestAnimationFrame(draw);
    return () => cancelAnimationFrame(frame);
  }, [renderer, counts, host]);

  if (!host) return null;
  return createPortal(
    <canvas
      ref={canvasRef}
      className={styles.badges}
      aria-hidden="true"
      data-testid="comment-badges"
      // For tests: which nodes carry a badge, and their counts.
      data-badges={[...counts].map(([n, c]) => `${nodeIds[n]}:${c}`).join(",")}
    />,
    host,
  );
}
