// Keeps the address bar in step with the view: after the first change, the full Neuronpedia-style keys
// (debounced, history.replaceState: no navigation, no server round trip). A freshly saved subgraph shows as
// the short ?s=<id> until the view changes again.
import { viewStateQuery } from "./url-view-state";
import type { TViewState, ViewStore } from "./view-store";
import type { TViewerGraph } from "./viewer-graph";

const DEBOUNCE_MS = 250;

export class UrlSync {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly graph: TViewerGraph,
    store: ViewStore,
  ) {
    this.unsubscribe = store.subscribe((state, previous) => {
      if (isOnlyTransient(state, previous)) return;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.write(state), DEBOUNCE_MS);
    });
  }

  private write(state: TViewState): void {
    const query = viewStateQuery(this.graph, state, new URLSearchParams(window.location.search));
    window.history.replaceState(window.history.state, "", `${window.location.pathname}${query}${window.location.hash}`);
  }

  /** The view now equals saved subgraph `id`: the address becomes the short form. */
  showSaved(id: string): void {
    clearTimeout(this.timer);
    const params = new URLSearchParams(window.location.search);
    for (const key of [...params.keys()]) params.delete(key);
    params.set("s", id);
    window.history.replaceState(
      window.history.state,
      "",
      `${window.location.pathname}?${params}${window.location.hash}`,
    );
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.unsubscribe();
  }
}

/** Changes that are not part of the shareable view (row emphasis, how many links are drawn). */
function isOnlyTransient(state: TViewState, previous: TViewState): boolean {
  return (
    state.clicked === previous.clicked &&
    state.pinned === previous.pinned &&
    state.supernodes === previous.supernodes &&
    state.clerps === previous.clerps &&
    state.positions === previous.positions &&
    state.threshold === previous.threshold
  );
}
