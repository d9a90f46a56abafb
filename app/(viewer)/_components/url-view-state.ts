// The view state in the URL, with Neuronpedia's keys (peer-platforms.md §3.8) so links travel between the two:
//   pinnedIds=20_15589_9,E_26865_9   supernodes=[["label","id",…],…]   clerps=[["20_15589","label"],…]
// clerps are keyed by feature "{layer}_{index}" (node_id for non-feature nodes); links written before that
// (node_id keys), Neuronpedia's ("{layer}_{feature}_{ctx}") and circuit-tracer's (raw feature) are read too.
//   clickedId=27_22605_10             pruningThreshold=0.8
// plus the short form ?s=<subgraphId> for a saved subgraph. Explicit keys win over ?s= (they are newer).
import type { TViewState } from "./view-store";
import type { TViewerGraph, TViewStateRefs } from "./viewer-graph";

export const VIEW_STATE_KEYS = [
  "pinnedIds",
  "supernodes",
  "clickedId",
  "pruningThreshold",
  "clerps",
  "positions",
] as const;

export type TSearchParams = Readonly<Record<string, string | string[] | undefined>>;

function first(params: TSearchParams, key: string): string | undefined {
  const value = params[key];
  return Array.isArray(value) ? value[0] : value;
}

function parseJsonArray(text: string | undefined, key: string, problems: string[]): unknown[] {
  if (!text) return [];
  try {
    const value: unknown = JSON.parse(text);
    if (Array.isArray(value)) return value;
  } catch {
    // reported below
  }
  problems.push(`${key}: expected a JSON array, the link has ${JSON.stringify(text.slice(0, 40))}`);
  return [];
}

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === "string");

/** The view state the URL spells out, or null when it has none of the keys. Problems are reported, not thrown. */
export function viewStateFromUrl(params: TSearchParams): { refs: TViewStateRefs | null; problems: string[] } {
  if (!VIEW_STATE_KEYS.some((key) => first(params, key) !== undefined)) return { refs: null, problems: [] };
  const problems: string[] = [];
  const pinnedIds = (first(params, "pinnedIds") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const supernodes = parseJsonArray(first(params, "supernodes"), "supernodes", problems).filter(
    (s): s is string[] => isStringArray(s) && s.length >= 2,
  );
  const clerps = parseJsonArray(first(params, "clerps"), "clerps", problems).filter(
    (c): c is [string, string] => isStringArray(c) && c.length === 2,
  );
  const thresholdText = first(params, "pruningThreshold");
  let pruningThreshold: number | null = null;
  if (thresholdText !== undefined) {
    // Blank text is not 0 (Number("") is): an empty ?pruningThreshold= must not prune every feature away.
    const t = thresholdText.trim() === "" ? Number.NaN : Number(thresholdText);
    if (Number.isFinite(t) && t >= 0 && t <= 1) pruningThreshold = t;
    else
      problems.push(`pruningThreshold: expected a number from 0 to 1, the link has ${JSON.stringify(thresholdText)}`);
  }
  const positions = parseJsonArray(first(params, "positions"), "positions", problems).filter(
    (p): p is [string, number, number] =>
      Array.isArray(p) && p.length === 3 && typeof p[0] === "string" && Number.isFinite(p[1]) && Number.isFinite(p[2]),
  );
  return {
    refs: {
      pinnedIds,
      supernodes,
      clerps,
      clickedId: first(params, "clickedId") ?? "",
      pruningThreshold,
      ...(positions.length ? { positions } : {}),
    },
    problems,
  };
}

/** The state as references (node_ids), the shape subgraph.create and the URL take. */
export function viewStateRefs(
  graph: TViewerGraph,
  state: TViewState,
): TViewStateRefs & { pruningThreshold: number | null; positions: [string, number, number][] } {
  const id = (i: number): string => graph.nodeIds[i] ?? String(i);
  return {
    pinnedIds: state.pinned.map(id),
    supernodes: state.supernodes.map((s) => [s.label, ...s.members.map(id)]),
    // Already keyed by feature (or node_id for non-feature nodes): the keys travel as they are.
    clerps: [...state.clerps].map(([key, label]) => [key, label] as [string, string]),
    clickedId: state.clicked === null ? "" : id(state.clicked),
    pruningThreshold: state.threshold < 1 ? state.threshold : null,
    positions: [...state.positions].map(([key, [x, y]]) => [key, Math.round(x), Math.round(y)]),
  };
}

/** The query string for a state (keys left out when empty), keeping unrelated keys of `current`. */
export function viewStateQuery(graph: TViewerGraph, state: TViewState, current: URLSearchParams): string {
  const params = new URLSearchParams(current);
  params.delete("s");
  for (const key of VIEW_STATE_KEYS) params.delete(key);
  const refs = viewStateRefs(graph, state);
  // Always written, even empty: no view keys at all means "the file's own saved view", so a view the user
  // cleared must say so explicitly to survive a reload or a shared link.
  params.set("pinnedIds", refs.pinnedIds.join(","));
  if (refs.supernodes.length) params.set("supernodes", JSON.stringify(refs.supernodes));
  if (refs.clickedId) params.set("clickedId", refs.clickedId);
  if (refs.pruningThreshold !== null) params.set("pruningThreshold", String(refs.pruningThreshold));
  if (refs.clerps.length) params.set("clerps", JSON.stringify(refs.clerps));
  if (refs.positions.length) params.set("positions", JSON.stringify(refs.positions));
  const query = params.toString();
  return query ? `?${query}` : "";
}
