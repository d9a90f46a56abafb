// Two 2D canvases slotted between sigma's layers: the axes (under everything) and the selected node's links
// (above sigma's edges, under its nodes). The selection is drawn here rather than added to the graphology
// graph, so the graph is never mutated and a node with 10^4 links costs one pass of lineTo, not 10^4 edges
// re-indexed by sigma. Both are redrawn after every sigma render (camera moves included).
import type Sigma from "sigma";
import type { TGraphLayout } from "./graph-layout";
import { formatToken } from "./node-facts";
import { signedColor, strengthOf } from "./graph-style";
import type { TDrawnLink } from "./selection-links";

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
  /** The predicted token (first line) and its probability (second line, may be ""). */
  readonly text: string;
  readonly detail: string;
}

/** A drawn label's box in viewport pixels: four corners, in order (the box may be rotated). */
export type TLabelBox = readonly (readonly [number, number])[];

export interface TAxisBoxes {
  readonly tokens: { readonly column: number; readonly text: string; readonly box: TLabelBox }[];
  readonly logits: { readonly node: number; readonly text: string; readonly box: TLabelBox }[];
}

const FONT = "11px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
const LINE_PX = 13;

/** Corners of text drawn at (x, y) after rotate(-angle), right- or left-aligned, baseline middle. */
function rotatedBox(x: number, y: number, angle: number, width: number, isRightAligned: boolean): TLabelBox {
  const ux = Math.cos(angle);
  const uy = -Math.sin(angle); // the text's direction on screen (y grows downwards)
  const vx = Math.sin(angle);
  const vy = Math.cos(angle); // perpendicular, half a line each side
  const [a, b] = isRightAligned ? [-width, 0] : [0, width];
  const h = LINE_PX / 2;
  return [
    [x + ux * a - vx * h, y + uy * a - vy * h],
    [x + ux * b - vx * h, y + uy * b - vy * h],
    [x + ux * b + vx * h, y + uy * b + vy * h],
    [x + ux * a + vx * h, y + uy * a + vy * h],
  ];
}

/** The longest prefix of text (with "…") that measures at most maxWidth; "" when not even one character fits. */
function elide(ctx: CanvasRenderingContext2D, text: string, maxWidth: number): string {
  if (ctx.measureText(text).width <= maxWidth) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (ctx.measureText(`${text.slice(0, mid)}…`).width <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return lo === 0 ? "" : `${text.slice(0, lo)}…`;
}

/**
 * Layer names, token labels and logit labels. Token labels are rotated (30°, or 60° when columns are closer
 * than a rotated line needs), thinned so two never overlap (a label is skipped when it would come closer to
 * the last one drawn than a line of text, measured along the axis), and elided to the room below the
 * embedding band. Logit labels are horizontal, elided to their share of the row and kept inside the canvas.
 * Returns every drawn label's box (the viewer hook exposes them to the tests).
 */
export function drawAxes(
  ctx: CanvasRenderingContext2D,
  sigma: Sigma,
  layout: TGraphLayout,
  tokens: readonly string[],
  logitLabels: readonly TAxisLabel[],
): TAxisBoxes {
  ctx.font = FONT;
  ctx.fillStyle = "#5b6470";
  ctx.strokeStyle = "#eef0f3";
  ctx.lineWidth = 1;
  const { width, height } = sigma.getDimensions();
  // Layer names at the left edge, skipping some when bands are closer than a line of text.
  const bandPx = Math.abs(
    sigma.graphToViewport({ x: 0, y: 0 }).y - sigma.graphToViewport({ x: 0, y: layout.bandHeight }).y,
  );
  const everyBand = Math.max(1, Math.ceil(LINE_PX / Math.max(bandPx, 1)));
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

  // Token labels under the embedding band.
  const top = sigma.graphToViewport({ x: 0, y: layout.bandCenters[0]! - layout.bandHeight * 0.55 }).y + 6;
  const xs = Array.from(layout.columnCenters, (cx) => sigma.graphToViewport({ x: cx, y: 0 }).x);
  let minGap = Number.POSITIVE_INFINITY;
  for (let c = 1; c < xs.length; c += 1) minGap = Math.min(minGap, xs[c]! - xs[c - 1]!);
  // Two parallel labels rotated by `angle` are a line apart when their anchors are LINE_PX / sin(angle) apart.
  const angle = minGap >= LINE_PX / Math.sin(Math.PI / 6) ? Math.PI / 6 : Math.PI / 3;
  const needPx = LINE_PX / Math.sin(angle);
  const room = Math.max(0, (height - top - 2) / Math.sin(angle));
  ctx.fillStyle = "#1b1f24";
  ctx.textAlign = "right";
  const tokenBoxes: TAxisBoxes["tokens"][number][] = [];
  let lastX = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < xs.length; c += 1) {
    const x = xs[c]!;
    if (x < 0 || x > width || x - lastX < needPx) continue;
    const text = elide(ctx, formatToken(tokens[c]), Math.min(room, 160));
    if (text === "") continue;
    const textWidth = ctx.measureText(text).width;
    // The label runs down and to the left; one that would leave the canvas on the left is skipped.
    if (x - Math.cos(angle) * textWidth < 0) continue;
    lastX = x;
    ctx.save();
    ctx.translate(x, top);
    ctx.rotate(-angle);
    ctx.fillText(text, 0, 0);
    ctx.restore();
    tokenBoxes.push({ column: c, text, box: rotatedBox(x, top, angle, textWidth, true) });
  }

  // The predicted tokens above their logit nodes, most probable first, each within its share of the row.
  ctx.textAlign = "center";
  ctx.fillStyle = "#8a4b08";
  const logitBoxes: TAxisBoxes["logits"][number][] = [];
  const placed: [number, number][] = [];
  const logitXs = logitLabels.map(({ node }) => sigma.graphToViewport({ x: layout.x[node]!, y: layout.y[node]! }));
  const sorted = [...logitXs].map((p) => p.x).sort((a, b) => a - b);
  let rowGap = Number.POSITIVE_INFINITY;
  for (let k = 1; k < sorted.length; k += 1) rowGap = Math.min(rowGap, sorted[k]! - sorted[k - 1]!);
  const maxWidth = Math.min(150, Number.isFinite(rowGap) ? rowGap - 6 : 150);
  logitLabels.forEach(({ node, text: full, detail }, k) => {
    const at = logitXs[k]!;
    // Two lines above the glyph: the token, then its probability.
    const y1 = at.y - 10 - LINE_PX;
    const y2 = at.y - 10;
    if (y1 - LINE_PX / 2 < 0 || y2 + LINE_PX / 2 > height || at.x < 0 || at.x > width) return;
    // Within the canvas on both sides, and within the label's share of the row.
    const fit = Math.min(maxWidth, 2 * Math.min(at.x - 2, width - 2 - at.x));
    const text = elide(ctx, full, fit);
    if (text === "") return;
    const second = ctx.measureText(detail).width <= fit ? detail : "";
    const w = Math.max(ctx.measureText(text).width, ctx.measureText(second).width);
    if (placed.some(([from, to]) => at.x - w / 2 < to && at.x + w / 2 > from)) return;
    placed.push([at.x - w / 2, at.x + w / 2]);
    ctx.fillText(text, at.x, y1);
    if (second) ctx.fillText(second, at.x, y2);
    const left = at.x - w / 2;
    logitBoxes.push({
      node,
      text: second ? `${text} ${second}` : text,
      box: [
        [left, y1 - LINE_PX / 2],
        [left + w, y1 - LINE_PX / 2],
        [left + w, y2 + LINE_PX / 2],
        [left, y2 + LINE_PX / 2],
      ],
    });
  });
  return { tokens: tokenBoxes, logits: logitBoxes };
}

/** `Output " meow" (p=0.422)` -> token `" meow"`, detail `42%`; other labels shortened. */
export function logitLabelText(clerp: string, probability: number): { text: string; detail: string } {
  const token = /^Output (".*") \(p=/.exec(clerp)?.[1] ?? (clerp || "?");
  const text = token.length > 18 ? `${token.slice(0, 17)}…` : token;
  const detail = Number.isNaN(probability) ? "" : `${(probability * 100).toFixed(probability < 0.1 ? 1 : 0)}%`;
  return { text, detail };
}

/** The drawn links (selection-links.ts), weakest first so the strongest end up on top. */
export function drawSelection(
  ctx: CanvasRenderingContext2D,
  sigma: Sigma,
  layout: TGraphLayout,
  links: readonly TDrawnLink[],
  isShown: (node: number) => boolean,
): number {
  ctx.lineCap = "round";
  let drawn = 0;
  for (const link of links) {
    if (!isShown(link.source) || !isShown(link.target)) continue;
    const from = sigma.graphToViewport({ x: layout.x[link.source]!, y: layout.y[link.source]! });
    const to = sigma.graphToViewport({ x: layout.x[link.target]!, y: layout.y[link.target]! });
    const s = strengthOf(link.fractionOfInput);
    ctx.strokeStyle = signedColor(link.fractionOfInput, 0.3 + 0.6 * s);
    ctx.lineWidth = 0.6 + 3 * s;
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x, to.y);
    ctx.stroke();
    drawn += 1;
  }
  return drawn;
}
