// Two 2D canvases slotted between sigma's layers: the axes (under everything) and the selected node's links
// (above sigma's edges, under its nodes). The selection is drawn here rather than added to the graphology
// graph, so the graph is never mutated and a node with 10^4 links costs one pass of lineTo, not 10^4 edges
// re-indexed by sigma. Both are redrawn after every sigma render (camera moves included).
import type Sigma from "sigma";
import type { TGraphLayout } from "./graph-layout";
import { formatToken } from "./node-facts";
import { signedColor, strengthOf } from "./graph-style";

export interface TSelectionLink {
  readonly other: number;
  readonly isInput: boolean;
  readonly fractionOfInput: number;
}

export function sizeCanvas(
  canvas: HTMLCanvasElement,
  width: number,
  height: number,
  pixelRatio: number,
): CanvasRenderingContext2D {
  const w = Math.round(width * pixelRatio);
  const h = Math.round(height * pixelRatio);
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
  }
  const ctx = canvas.getContext("2d")!;
  ctx.setTransform(pixelRatio, 0, 0, pixelRatio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  return ctx;
}

export interface TAxisLabel {
  readonly node: number;
  readonly text: string;
}

export function drawAxes(
  ctx: CanvasRenderingContext2D,
  sigma: Sigma,
  layout: TGraphLayout,
  tokens: readonly string[],
  logitLabels: readonly TAxisLabel[],
): void {
  ctx.font = "11px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
  ctx.fillStyle = "#5b6470";
  ctx.strokeStyle = "#eef0f3";
  ctx.lineWidth = 1;
  const { width } = sigma.getDimensions();
  // Layer names at the left edge, skipping some when bands are closer than a line of text.
  const bandPx = Math.abs(
    sigma.graphToViewport({ x: 0, y: 0 }).y - sigma.graphToViewport({ x: 0, y: layout.bandHeight }).y,
  );
  const everyBand = Math.max(1, Math.ceil(13 / Math.max(bandPx, 1)));
  ctx.textBaseline = "middle";
  ctx.textAlign = "left";
  layout.bandLabels.forEach((label, b) => {
    const y = sigma.graphToViewport({ x: 0, y: layout.bandCenters[b]! }).y;
    const isEnd = b === 0 || b === layout.bandLabels.length - 1;
    if (!isEnd && b % everyBand !== 0) return;
    ctx.beginPath();
    ctx.moveTo(30, y);
    ctx.lineTo(width, y);
    ctx.stroke();
    ctx.fillText(label, 4, y);
  });
  // Token text under the embedding band, rotated like the peers' axis.
  const embedding = sigma.graphToViewport({ x: 0, y: layout.bandCenters[0]! - layout.bandHeight * 0.55 });
  ctx.fillStyle = "#1b1f24";
  ctx.textAlign = "right";
  for (let c = 0; c < layout.columnCenters.length; c += 1) {
    const x = sigma.graphToViewport({ x: layout.columnCenters[c]!, y: 0 }).x;
    ctx.save();
    ctx.translate(x, embedding.y + 4);
    ctx.rotate(-Math.PI / 6);
    const text = formatToken(tokens[c]);
    ctx.fillText(text.length > 24 ? `${text.slice(0, 23)}…` : text, 0, 0);
    ctx.restore();
  }
  // The predicted tokens above their logit nodes (most probable first; a label too close to one already
  // drawn is left out rather than overprinted).
  ctx.textAlign = "left";
  ctx.fillStyle = "#8a4b08";
  const taken: number[] = [];
  for (const { node, text } of logitLabels) {
    const at = sigma.graphToViewport({ x: layout.x[node]!, y: layout.y[node]! });
    if (taken.some((x) => Math.abs(x - at.x) < 12)) continue;
    taken.push(at.x);
    ctx.save();
    ctx.translate(at.x - 2, at.y - 9);
    ctx.rotate(-Math.PI / 6);
    ctx.fillText(text, 0, 0);
    ctx.restore();
  }
}

/** `Output " meow" (p=0.422)` -> `" meow" 42%`; other labels shortened. */
export function logitLabelText(clerp: string, probability: number): string {
  const token = /^Output (".*") \(p=/.exec(clerp)?.[1] ?? (clerp || "?");
  const short = token.length > 18 ? `${token.slice(0, 17)}…` : token;
  return Number.isNaN(probability) ? short : `${short} ${(probability * 100).toFixed(probability < 0.1 ? 1 : 0)}%`;
}

/** The selected node's links, weakest first so the strongest end up on top. */
export function drawSelection(
  ctx: CanvasRenderingContext2D,
  sigma: Sigma,
  layout: TGraphLayout,
  selected: number,
  links: readonly TSelectionLink[],
  isShown: (node: number) => boolean,
): void {
  const from = sigma.graphToViewport({ x: layout.x[selected]!, y: layout.y[selected]! });
  ctx.lineCap = "round";
  for (const link of links) {
    if (!isShown(link.other)) continue;
    const to = sigma.graphToViewport({ x: layout.x[link.other]!, y: layout.y[link.other]! });
    const s = strengthOf(link.fractionOfInput);
    ctx.strokeStyle = signedColor(link.fractionOfInput, 0.3 + 0.6 * s);
    ctx.lineWidth = 0.6 + 3 * s;
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x, to.y);
    ctx.stroke();
  }
}
