// Search over labels (overrides and the label system's included), node ids and prompt tokens. A linear scan: 10^4 nodes take well
// under a millisecond per keystroke, so no index is kept. Exact id matches first, then label and token hits
// in importance order (lowest cumulative influence first).
import { baseLabel, formatToken } from "./node-facts";
import { KIND_CODE, type TViewerGraph } from "./viewer-graph";

export interface TSearchHit {
  readonly node: number;
  readonly matchedOn: "node id" | "label" | "token";
  readonly text: string;
}

export function searchNodes(
  graph: TViewerGraph,
  clerps: ReadonlyMap<string, string>,
  query: string,
  limit = 30,
  shownLabels?: ReadonlyMap<string, string>,
): TSearchHit[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const exact: TSearchHit[] = [];
  const hits: TSearchHit[] = [];
  // An embedding's label contains its token, so it can match twice: the token hit (which names the
  // position) replaces the label hit, and each node is listed once.
  const labelHitAt = new Map<number, number>();
  for (let i = 0; i < graph.nodeCount; i += 1) {
    const id = graph.nodeIds[i]!;
    if (id.toLowerCase() === q) exact.push({ node: i, matchedOn: "node id", text: id });
    else if (id.toLowerCase().startsWith(q)) hits.push({ node: i, matchedOn: "node id", text: id });
    else {
      const label = baseLabel(graph, clerps, i, shownLabels);
      if (label.toLowerCase().includes(q)) {
        labelHitAt.set(i, hits.length);
        hits.push({ node: i, matchedOn: "label", text: label });
      }
    }
  }
  // A token hit jumps to that position's embedding node (every column has one in circuit-tracer files).
  graph.tokens.forEach((token, position) => {
    if (!token.toLowerCase().includes(q)) return;
    for (let i = 0; i < graph.nodeCount; i += 1) {
      if (graph.ctxIdx[i] === position && graph.kinds[i] === KIND_CODE.embedding) {
        const hit = { node: i, matchedOn: "token" as const, text: `${formatToken(token)} (position ${position})` };
        const at = labelHitAt.get(i);
        if (at === undefined) hits.push(hit);
        else hits[at] = hit;
        return;
      }
    }
  });
  const rank = (hit: TSearchHit): number => {
    const inf = graph.influence[hit.node]!;
    return Number.isNaN(inf) ? -1 : inf;
  };
  hits.sort((a, b) => rank(a) - rank(b));
  return [...exact, ...hits].slice(0, limit);
}
