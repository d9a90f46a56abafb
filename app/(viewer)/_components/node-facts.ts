// Small pure facts about nodes that panels, search and the renderer all need.
import type { TViewState } from "./view-store";
import { KIND_CODE, type TViewerGraph } from "./viewer-graph";

/** The token text as shown in the UI: quoted, with newlines visible. */
export function formatToken(token: string | undefined): string {
  if (token === undefined) return "?";
  return JSON.stringify(token).replace(/\\n/g, "↵");
}

export function tokenAt(graph: TViewerGraph, node: number): string {
  return formatToken(graph.tokens[graph.ctxIdx[node]!]);
}

const NO_LABELS: ReadonlyMap<string, string> = new Map();

/**
 * The label shown for a node, first found: the view's override (a saved subgraph's clerps), the label system's
 * (the workspace's best, else the best public one), the file's clerp, a description from its kind.
 */
export function baseLabel(
  graph: TViewerGraph,
  clerps: ReadonlyMap<string, string>,
  node: number,
  shownLabels: ReadonlyMap<string, string> = NO_LABELS,
): string {
  const key = graph.labelKeys[node] ?? "";
  const override = clerps.get(key);
  if (override !== undefined && override !== "") return override;
  const shown = shownLabels.get(key);
  if (shown !== undefined && shown !== "") return shown;
  const clerp = graph.clerps[node];
  if (clerp) return clerp;
  const kind = graph.kinds[node];
  if (kind === KIND_CODE.embedding) return `Emb: ${tokenAt(graph, node)}`;
  if (kind === KIND_CODE.error) return `Error L${graph.layers[node]} at ${tokenAt(graph, node)}`;
  if (kind === KIND_CODE.feature && graph.featureIndex[node]! >= 0)
    return `Feature L${graph.featureLayer[node]} #${graph.featureIndex[node]}`;
  return graph.nodeIds[node] ?? String(node);
}

/** With the supernode prefix Neuronpedia shows: `[Texas] state/regional government`. */
export function displayLabel(
  graph: TViewerGraph,
  state: Pick<TViewState, "clerps" | "supernodes" | "shownLabels">,
  node: number,
): string {
  const label = baseLabel(graph, state.clerps, node, state.shownLabels);
  const supernode = state.supernodes.find((s) => s.members.includes(node));
  return supernode ? `[${supernode.label}] ${label}` : label;
}

/** Whether the pruning threshold alone would hide this node (embeddings and logits are never pruned). */
export function isPrunedByThreshold(graph: TViewerGraph, node: number, threshold: number): boolean {
  const kind = graph.kinds[node];
  if (kind === KIND_CODE.embedding || kind === KIND_CODE.logit) return false;
  const influence = graph.influence[node]!;
  return !Number.isNaN(influence) && influence > threshold;
}

/** Drawn at all: not pruned, or kept because it is selected or pinned (as in Neuronpedia). */
export function isNodeShown(
  graph: TViewerGraph,
  state: Pick<TViewState, "threshold" | "clicked" | "pinned">,
  node: number,
): boolean {
  if (!isPrunedByThreshold(graph, node, state.threshold)) return true;
  return node === state.clicked || state.pinned.includes(node);
}

export function formatNumber(value: number, digits = 3): string {
  if (Number.isNaN(value)) return "—";
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e5)) return value.toExponential(2);
  return value.toFixed(digits);
}

export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return "—";
  return `${(fraction * 100).toFixed(Math.abs(fraction) < 0.1 ? 1 : 0)}%`;
}
