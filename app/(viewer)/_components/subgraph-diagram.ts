// The subgraph as a diagram (the papers' and Neuronpedia's figure): each supernode is one box, each pinned
// node outside a supernode is one box; boxes sit by layer (up) and token (across) unless the user dragged
// them; an edge between two boxes is the sum of the full graph's member-to-member link weights, so a
// supernode's edge says how much its members together feed the other box. Pure: the component draws it.
import type { TViewState } from "./view-store";
import { KIND_CODE, type TViewerGraph } from "./viewer-graph";

/** Diagram coordinates: x and y in 0..1000 (circuit-tracer's sg_pos scale), y = 0 at the top. */
export const DIAGRAM_SIZE = 1000;
/** The room one box takes, in diagram units (boxes are laid out so that none covers another). */
const BOX_X = 330;
const BOX_Y = 140;

export interface TDiagramGroup {
  /** A pinned node's node_id, or "sn:" + the supernode's label: the key positions are saved under. */
  readonly key: string;
  readonly members: readonly number[];
  /** Index in state.supernodes, or null for a single pinned node. */
  readonly supernode: number | null;
  readonly x: number;
  readonly y: number;
}

export interface TDiagramEdge {
  readonly from: number;
  readonly to: number;
  /** Σ weight of the links from members of `from` to members of `to`. */
  readonly weight: number;
  /** weight ÷ the largest |weight| among the diagram's edges (for width). */
  readonly relative: number;
}

export function supernodeKey(label: string): string {
  return `sn:${label}`;
}

function bandOf(graph: TViewerGraph, node: number): number {
  const kind = graph.kinds[node]!;
  if (kind === KIND_CODE.embedding) return 0;
  if (kind === KIND_CODE.logit) return (graph.nLayers ?? 0) + 2;
  return Math.max(graph.layers[node]!, 0) + 1;
}

export function diagramGroups(
  graph: TViewerGraph,
  state: Pick<TViewState, "pinned" | "supernodes" | "positions">,
): TDiagramGroup[] {
  const inSupernode = new Set(state.supernodes.flatMap((s) => s.members));
  const raw: { key: string; members: number[]; supernode: number | null }[] = [];
  state.supernodes.forEach((s, i) => raw.push({ key: supernodeKey(s.label), members: [...s.members], supernode: i }));
  for (const node of state.pinned) {
    if (!inSupernode.has(node)) raw.push({ key: graph.nodeIds[node]!, members: [node], supernode: null });
  }
  const columns = Math.max(graph.tokens.length, 1);
  const bands = (graph.nLayers ?? 0) + 3;
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(values.length, 1);
  // The layered default: mean token across, mean band up. A box is about a quarter of the diagram wide and
  // an eighth high (150 x 44 px in a 600 x 360 panel), so one that would overlap a box already placed moves
  // right, and down a row past the right edge: boxes never cover each other (each stays clickable).
  const placed: { x: number; y: number }[] = [];
  const isFree = (x: number, y: number) =>
    placed.every((p) => Math.abs(p.x - x) >= BOX_X || Math.abs(p.y - y) >= BOX_Y);
  const wanted = raw.map((g) => {
    const ctx = mean(g.members.map((m) => graph.ctxIdx[m]!));
    const band = mean(g.members.map((m) => bandOf(graph, m)));
    return {
      x: (ctx / Math.max(columns - 1, 1)) * DIAGRAM_SIZE,
      y: DIAGRAM_SIZE - (band / Math.max(bands - 1, 1)) * DIAGRAM_SIZE,
    };
  });
  for (const g of raw) {
    const saved = state.positions.get(g.key);
    if (saved) placed.push({ x: saved[0], y: saved[1] });
  }
  return raw.map((g, i) => {
    const saved = state.positions.get(g.key);
    if (saved) return { ...g, x: saved[0], y: saved[1] };
    let { x, y } = wanted[i]!;
    for (let tries = 0; tries < 64 && !isFree(x, y); tries += 1) {
      x += BOX_X;
      if (x > DIAGRAM_SIZE) {
        x = 0;
        y = y >= BOX_Y ? y - BOX_Y : DIAGRAM_SIZE;
      }
    }
    placed.push({ x, y });
    return { ...g, x, y };
  });
}

/** Edges between groups: the full graph's links between members, summed per (from, to) pair of groups. */
export function diagramEdges(graph: TViewerGraph, groups: readonly TDiagramGroup[]): TDiagramEdge[] {
  const groupOf = new Map<number, number>();
  groups.forEach((g, i) => g.members.forEach((m) => groupOf.set(m, i)));
  const sums = new Map<number, number>();
  groups.forEach((g, from) => {
    for (const node of g.members) {
      for (let k = graph.outOffsets[node]!; k < graph.outOffsets[node + 1]!; k += 1) {
        const link = graph.outLinks[k]!;
        const to = groupOf.get(graph.target[link]!);
        if (to === undefined || to === from) continue;
        const key = from * groups.length + to;
        sums.set(key, (sums.get(key) ?? 0) + graph.weight[link]!);
      }
    }
  });
  let max = 0;
  for (const w of sums.values()) max = Math.max(max, Math.abs(w));
  return [...sums].map(([key, weight]) => ({
    from: Math.floor(key / groups.length),
    to: key % groups.length,
    weight,
    relative: max > 0 ? weight / max : 0,
  }));
}
