// The links drawn in the default mode: those of the clicked, hovered and pinned nodes, at most the strongest
// K of each by |weight| (a logit can have 50,000 inputs), so a frame costs O(K × selected nodes), never
// O(links in the graph). Each link is weighted by its share of the target's total |input| (pctInput).
import { connectionsOf, type TConnection } from "./node-connections";
import type { TViewerGraph } from "./viewer-graph";

export interface TDrawnLink {
  readonly link: number;
  readonly source: number;
  readonly target: number;
  /** weight ÷ Σ|inputs of the target|: the colour (sign) and width (magnitude) of the line. */
  readonly fractionOfInput: number;
}

/** The k rows of largest |weight| from a list sorted by weight descending (positive end, negative end). */
export function strongestByMagnitude(sorted: readonly TConnection[], k: number): TConnection[] {
  const out: TConnection[] = [];
  let i = 0;
  let j = sorted.length - 1;
  while (out.length < k && i <= j) {
    if (Math.abs(sorted[i]!.weight) >= Math.abs(sorted[j]!.weight)) out.push(sorted[i++]!);
    else out.push(sorted[j--]!);
  }
  return out;
}

export interface TSelectionSpec {
  readonly node: number;
  /** Links per direction (inputs, outputs); Infinity for all. */
  readonly perDirection: number;
}

/** The drawn links of the selected nodes, each link once, weakest first (the strongest end up on top). */
export function selectionLinks(graph: TViewerGraph, specs: readonly TSelectionSpec[], limit: number): TDrawnLink[] {
  const byLink = new Map<number, TDrawnLink>();
  for (const { node, perDirection } of specs) {
    for (const direction of ["inputs", "outputs"] as const) {
      const { sorted } = connectionsOf(graph, node, direction);
      const rows = perDirection >= sorted.length ? sorted : strongestByMagnitude(sorted, perDirection);
      for (const row of rows) {
        if (byLink.has(row.link)) continue;
        byLink.set(row.link, {
          link: row.link,
          source: graph.source[row.link]!,
          target: graph.target[row.link]!,
          fractionOfInput: row.fractionOfInput,
        });
      }
    }
  }
  const links = [...byLink.values()].sort(
    (a, b) => Math.abs(a.fractionOfInput) - Math.abs(b.fractionOfInput) || a.link - b.link,
  );
  return links.length > limit ? links.slice(links.length - limit) : links;
}
