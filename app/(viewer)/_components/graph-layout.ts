// The fixed layout of the peers (peer-platforms.md §3.2): one horizontal band per layer (embeddings at the
// bottom, logits on top) and one column per prompt token. A column is as wide as its most crowded cell
// (polylinear widths, as in Anthropic's viewer); a cell holds its nodes side by side, most important first
// (lowest cumulative influence; logits by probability), wrapping into sub-rows past MAX_PER_ROW; sparse
// cells spread over their column's width. The logit row (top band) is spread over the whole width, most probable
// at the right end (above the last token, where they are predicted), so each logit's label has room to be
// read at any prompt length instead of a dozen labels crowding the last column.
// Units: one node slot = 1. Band height is chosen so the whole drawing has the viewport's aspect ratio.
import { KIND_CODE, type TViewerGraph } from "./viewer-graph";

const MAX_PER_ROW = 32;
const COLUMN_GAP = 1;

export interface TGraphLayout {
  /** Graph coordinates per node (sigma: y grows upwards). */
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly columnCenters: Float32Array;
  readonly bandCenters: Float32Array;
  /** "Emb", "L0" … "L{n-1}", "Lgt". */
  readonly bandLabels: readonly string[];
  readonly bandHeight: number;
  readonly width: number;
  /** Graph units that one node slot spans: used to size nodes to the space they have. */
  readonly slotsAcross: number;
  /** The box to fit in the viewport, with room for the token axis below and layer names to the left. */
  readonly bbox: { readonly x: [number, number]; readonly y: [number, number] };
}

function bandOf(graph: TViewerGraph, node: number, topBand: number): number {
  const kind = graph.kinds[node]!;
  if (kind === KIND_CODE.embedding) return 0;
  if (kind === KIND_CODE.logit) return topBand;
  return Math.min(Math.max(graph.layers[node]!, 0) + 1, topBand - 1);
}

export function layoutGraph(graph: TViewerGraph, aspect: number): TGraphLayout {
  const n = graph.nodeCount;
  let maxLayer = -1;
  for (let i = 0; i < n; i += 1) {
    if (graph.kinds[i] !== KIND_CODE.logit && graph.kinds[i] !== KIND_CODE.embedding)
      maxLayer = Math.max(maxLayer, graph.layers[i]!);
  }
  let columns = Math.max(graph.tokens.length, 1);
  for (let i = 0; i < n; i += 1) columns = Math.max(columns, graph.ctxIdx[i]! + 1);
  const topBand = Math.max(graph.nLayers ?? 0, maxLayer + 1) + 1;
  const bandCount = topBand + 1;

  // Cells: nodes per (band, column), ordered by importance.
  const cells = new Map<number, number[]>();
  for (let i = 0; i < n; i += 1) {
    const cell = bandOf(graph, i, topBand) * columns + graph.ctxIdx[i]!;
    const list = cells.get(cell);
    if (list) list.push(i);
    else cells.set(cell, [i]);
  }
  const importance = (i: number): number => {
    if (graph.kinds[i] === KIND_CODE.logit) return -(Number.isNaN(graph.tokenProb[i]!) ? 0 : graph.tokenProb[i]!);
    const inf = graph.influence[i]!;
    return Number.isNaN(inf) ? 2 : inf;
  };
  const columnSlots = new Float32Array(columns).fill(1);
  for (const [cell, list] of cells) {
    list.sort((a, b) => importance(a) - importance(b) || a - b);
    const column = cell % columns;
    columnSlots[column] = Math.max(columnSlots[column]!, Math.min(list.length, MAX_PER_ROW));
  }
  const columnStarts = new Float32Array(columns);
  const columnCenters = new Float32Array(columns);
  let width = 0;
  for (let c = 0; c < columns; c += 1) {
    columnStarts[c] = width;
    columnCenters[c] = width + columnSlots[c]! / 2;
    width += columnSlots[c]! + COLUMN_GAP;
  }
  width -= COLUMN_GAP;
  const bandHeight = Math.max(1, (width * aspect) / bandCount);
  const bandCenters = new Float32Array(bandCount);
  for (let b = 0; b < bandCount; b += 1) bandCenters[b] = (b + 0.5) * bandHeight;

  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (const [cell, list] of cells) {
    const band = Math.floor(cell / columns);
    const column = cell % columns;
    if (band === topBand) continue;
    const rows = Math.ceil(list.length / MAX_PER_ROW);
    const perRow = Math.ceil(list.length / rows);
    list.forEach((node, k) => {
      const row = Math.floor(k / perRow);
      const inRow = Math.min(perRow, list.length - row * perRow);
      const slot = k - row * perRow;
      // Sparse cells spread out over their column (up to 3 slots apart), so few large glyphs do not overlap.
      // Logits (the top band holds nothing else) may spread past their column, for their bigger glyphs.
      const room = band === topBand ? columnSlots[column]! + 12 : columnSlots[column]!;
      const spacing = Math.max(1, Math.min(band === topBand ? 2.5 : 3, room / inRow));
      x[node] = columnCenters[column]! + (slot - (inRow - 1) / 2) * spacing;
      // Sub-rows share the band's middle 70%, first row on top.
      const spread = rows === 1 ? 0 : 0.7 * bandHeight * (0.5 - row / (rows - 1));
      y[node] = bandCenters[band]! + spread;
    });
  }

  const logits: number[] = [];
  for (const [cell, list] of cells) if (Math.floor(cell / columns) === topBand) logits.push(...list);
  logits.sort((a, b) => importance(a) - importance(b) || a - b);
  const logitSpacing = logits.length > 0 ? width / logits.length : 0;
  logits.forEach((node, k) => {
    x[node] = width - (k + 0.5) * logitSpacing;
    y[node] = bandCenters[topBand]!;
  });

  let minX = 0;
  let maxX = width;
  for (let i = 0; i < n; i += 1) {
    minX = Math.min(minX, x[i]!);
    maxX = Math.max(maxX, x[i]!);
  }
  const bandLabels = Array.from({ length: bandCount }, (_, b) =>
    b === 0 ? "Emb" : b === topBand ? "Lgt" : `L${b - 1}`,
  );
  const slotsAcross = width;
  return {
    x,
    y,
    columnCenters,
    bandCenters,
    bandLabels,
    bandHeight,
    width,
    slotsAcross,
    // Room below for the token axis, above for the logit labels, and left for the layer names.
    bbox: {
      x: [Math.min(minX, 0) - 0.07 * width - 1, Math.max(maxX, width)],
      y: [-1.1 * bandHeight, (bandCount + 1.3) * bandHeight],
    },
  };
}
