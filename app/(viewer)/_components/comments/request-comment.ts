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
