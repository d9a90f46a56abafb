// A case-study step's view <-> the live viewer: capture what is on screen (view state as node_ids, camera,
// link mode) and move the viewer to a captured view (state applied to the store, camera animated).
import { formatLinkMode, parseLinkMode } from "./link-mode";
import { viewStateRefs } from "./url-view-state";
import type { TViewerContext } from "./viewer-context";

export interface TStepViewInput {
  state: {
    pinnedIds: string[];
    supernodes: string[][];
    clerps: [string, string][];
    clickedId: string;
    linkType: "input" | "output" | "both";
    positions: [string, number, number][];
    pruningThreshold?: number | undefined;
    version?: 2 | undefined;
  };
  camera: { x: number; y: number; ratio: number } | null;
  linkMode: string;
}

export function captureStepView({ graph, store, renderer }: TViewerContext): TStepViewInput {
  const refs = viewStateRefs(graph, store.get());
  return {
    state: {
      pinnedIds: [...refs.pinnedIds],
      supernodes: refs.supernodes.map((s) => [...s]),
      clerps: refs.clerps.map(([k, v]) => [k, v] as [string, string]),
      clickedId: refs.clickedId,
      linkType: "both",
      positions: refs.positions,
      ...(refs.pruningThreshold !== null ? { pruningThreshold: refs.pruningThreshold } : {}),
      version: 2,
    },
    camera: renderer ? renderer.cameraState() : null,
    linkMode: formatLinkMode(store.get().linkMode),
  };
}

/** Moves the viewer to a step's view; node_ids this graph lacks are skipped. */
export async function applyStepView({ graph, store, renderer }: TViewerContext, view: TStepViewInput): Promise<void> {
  const indexOf = (id: string) => {
    const i = graph.nodeIds.lastIndexOf(id);
    return i < 0 ? null : i;
  };
  const some = (ids: readonly string[]) => ids.map(indexOf).filter((i): i is number => i !== null);
  const supernodes = view.state.supernodes
    .map(([label, ...members]) => ({ label: label ?? "", members: some(members) }))
    .filter((s) => s.members.length > 0);
  store.update({
    pinned: some(view.state.pinnedIds),
    supernodes,
    clicked: view.state.clickedId ? indexOf(view.state.clickedId) : null,
    clerps: new Map(view.state.clerps),
    threshold: view.state.pruningThreshold ?? 1,
    positions: new Map(view.state.positions.map(([key, x, y]) => [key, [x, y] as const])),
    ...(view.linkMode ? { linkMode: parseLinkMode(view.linkMode) } : {}),
  });
  if (renderer && view.camera) await renderer.animateCamera(view.camera);
}
