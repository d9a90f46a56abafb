// The view state (selection, pins, supernodes, label overrides, pruning threshold) lives outside React, like
// sigma's own state: the renderer subscribes and redraws synchronously on a click, and React panels read
// slices of it with useViewState. Every update replaces the changed fields, so slices compare by reference.
import { useSyncExternalStore } from "react";
import { DEFAULT_LINK_MODE, type TLinkMode } from "./link-mode";
import type { TResolvedViewState } from "./viewer-graph";

export interface TSupernode {
  readonly label: string;
  readonly members: readonly number[];
}

export interface TViewState {
  readonly clicked: number | null;
  /** Pinned node indices, in pinning order (supernode members included). */
  readonly pinned: readonly number[];
  readonly supernodes: readonly TSupernode[];
  /** Label overrides by label key (TViewerGraph.labelKeys): one override renames a feature at every position. */
  readonly clerps: ReadonlyMap<string, string>;
  /**
   * What the label system shows for each feature (label.shownForGraph: the workspace's best label, else the best
   * public one), by feature key: below the overrides, above the file's own labels. Never saved with a view.
   */
  readonly shownLabels: ReadonlyMap<string, string>;
  /** Show nodes whose cumulative influence is at most this; 1 shows every node. */
  readonly threshold: number;
  /** Which links are drawn: the selection's (default) or the N strongest of the graph (link-mode.ts). */
  readonly linkMode: TLinkMode;
  /** Draw every link of the clicked node, not just its strongest LINKS_PER_SELECTED. */
  readonly showAllLinks: boolean;
  /** Subgraph diagram positions by group key (a pinned node's node_id, or "sn:" + a supernode's label). */
  readonly positions: ReadonlyMap<string, readonly [number, number]>;
  /** A node to emphasise without selecting it (connection row under the pointer). */
  readonly focused: number | null;
  /** The "commented nodes" filter: when set, nodes outside it (without comment threads) are dimmed. */
  readonly commentedNodes: ReadonlySet<number> | null;
}

type TListener = (state: TViewState, previous: TViewState) => void;

export class ViewStore {
  private state: TViewState;
  private readonly listeners = new Set<TListener>();

  constructor(initial: TViewState) {
    this.state = initial;
  }

  readonly get = (): TViewState => this.state;

  readonly subscribe = (listener: TListener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  update(patch: Partial<TViewState> | ((state: TViewState) => Partial<TViewState>)): void {
    const previous = this.state;
    const changes = typeof patch === "function" ? patch(previous) : patch;
    this.state = { ...previous, ...changes };
    for (const listener of this.listeners) listener(this.state, previous);
  }

  // ---- actions ----

  select(node: number | null): void {
    this.update({ clicked: node });
  }

  togglePin(node: number): void {
    this.update((s) => (s.pinned.includes(node) ? unpin(s, [node]) : { pinned: [...s.pinned, node] }));
  }

  unpin(nodes: readonly number[]): void {
    this.update((s) => unpin(s, nodes));
  }

  clearPins(): void {
    this.update({ pinned: [], supernodes: [] });
  }

  /** Groups pinned nodes into a new supernode, taking them out of any supernode they were in. */
  group(members: readonly number[], label: string): void {
    this.update((s) => {
      const taken = new Set(members);
      const rest = s.supernodes
        .map((sn) => ({ ...sn, members: sn.members.filter((m) => !taken.has(m)) }))
        .filter((sn) => sn.members.length > 1);
      return { supernodes: [...rest, { label, members: [...members] }] };
    });
  }

  ungroup(index: number): void {
    this.update((s) => ({ supernodes: s.supernodes.filter((_, i) => i !== index) }));
  }

  renameSupernode(index: number, label: string): void {
    this.update((s) => ({ supernodes: s.supernodes.map((sn, i) => (i === index ? { ...sn, label } : sn)) }));
  }

  setPosition(key: string, x: number, y: number): void {
    this.update((s) => ({ positions: new Map(s.positions).set(key, [x, y]) }));
  }

  /** Takes one node out of a supernode (it stays pinned); a supernode left with one member dissolves. */
  removeFromSupernode(index: number, node: number): void {
    this.update((s) => ({
      supernodes: s.supernodes
        .map((sn, i) => (i === index ? { ...sn, members: sn.members.filter((m) => m !== node) } : sn))
        .filter((sn) => sn.members.length > 1),
    }));
  }

  setShownLabels(labels: Readonly<Record<string, string>>): void {
    this.update(() => ({ shownLabels: new Map(Object.entries(labels)) }));
  }

  setClerp(labelKey: string, label: string | null): void {
    this.update((s) => {
      const clerps = new Map(s.clerps);
      if (label === null) clerps.delete(labelKey);
      else clerps.set(labelKey, label);
      return { clerps };
    });
  }
}

/** Unpinning a member takes it out of its supernode; a supernode left with one member dissolves (Neuronpedia). */
function unpin(s: TViewState, nodes: readonly number[]): Partial<TViewState> {
  const gone = new Set(nodes);
  return {
    pinned: s.pinned.filter((p) => !gone.has(p)),
    supernodes: s.supernodes
      .map((sn) => ({ ...sn, members: sn.members.filter((m) => !gone.has(m)) }))
      .filter((sn) => sn.members.length > 1),
  };
}

export function initialViewState(resolved: TResolvedViewState, linkMode: TLinkMode = DEFAULT_LINK_MODE): TViewState {
  return {
    clicked: resolved.clicked,
    pinned: resolved.pinned,
    supernodes: resolved.supernodes.filter((s) => s.members.length > 0),
    clerps: new Map(resolved.clerps),
    shownLabels: new Map(),
    threshold: resolved.pruningThreshold ?? 1,
    linkMode,
    showAllLinks: false,
    positions: new Map(resolved.positions.map(([key, x, y]) => [key, [x, y] as const])),
    focused: null,
    commentedNodes: null,
  };
}

export function useViewState<T>(store: ViewStore, select: (state: TViewState) => T): T {
  return useSyncExternalStore(
    store.subscribe,
    () => select(store.get()),
    () => select(store.get()),
  );
}
