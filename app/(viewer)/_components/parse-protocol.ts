// Messages between the page and parse.worker.ts.
import type { TViewerGraph, TViewStateRefs } from "./viewer-graph";

export interface TParseRequest {
  /** Same-origin URL of the graph body (GET /api/graphs/:id/data); the worker fetches it with the page's cookies. */
  readonly url: string;
  /** The view state to resolve (from the URL or a saved subgraph); null: the file's own qParams. */
  readonly state: TViewStateRefs | null;
  /** Embeds fetch without cookies: they show what an anonymous visitor may see. */
  readonly isAnonymous?: boolean;
}

export type TParseMessage =
  | { readonly type: "progress"; readonly phase: "downloading"; readonly loadedBytes: number }
  | { readonly type: "progress"; readonly phase: "parsing" | "indexing"; readonly loadedBytes: number }
  | { readonly type: "done"; readonly graph: TViewerGraph; readonly timings: TParseTimings }
  | { readonly type: "error"; readonly status: number | null; readonly message: string; readonly path?: string };

export interface TParseTimings {
  readonly downloadMs: number;
  readonly parseMs: number;
  readonly indexMs: number;
  readonly sizeBytes: number;
}
