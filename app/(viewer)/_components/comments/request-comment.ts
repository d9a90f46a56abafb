import { useSyncExternalStore } from "react";

// The seam other viewer panels use to start a comment where the user is (a row of the connections list, a
// supernode of the subgraph diagram): `requestComment({ kind: "node", nodeId })` selects that node in the
// comments panel and focuses its composer. A DOM event, so panels need not share React state with it.
export type TCommentRequest =
  | { readonly kind: "node"; readonly nodeId: string }
  | { readonly kind: "graph" }
  | { readonly kind: "subgraph" }
  | { readonly kind: "supernode"; readonly label: string };

export const COMMENT_REQUEST_EVENT = "circuitboard:comment-request";

export function requestComment(request: TCommentRequest): void {
  window.dispatchEvent(new CustomEvent<TCommentRequest>(COMMENT_REQUEST_EVENT, { detail: request }));
}

// Whether a comments panel is there to take a request (it is for members of the graph's workspace only):
// panels offer "comment" buttons only then.
let isAvailable = false;
const availabilityListeners = new Set<() => void>();

export function setCommentsAvailable(value: boolean): void {
  if (value === isAvailable) return;
  isAvailable = value;
  for (const listener of availabilityListeners) listener();
}

export function useCommentsAvailable(): boolean {
  return useSyncExternalStore(
    (listener) => {
      availabilityListeners.add(listener);
      return () => availabilityListeners.delete(listener);
    },
    () => isAvailable,
    () => false,
  );
}
