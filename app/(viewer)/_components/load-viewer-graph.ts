// Main-thread side of the parsing worker: one worker per load, terminated when the load ends or is cancelled.
import type { TParseMessage, TParseRequest, TParseTimings } from "./parse-protocol";
import type { TViewerGraph, TViewStateRefs } from "./viewer-graph";

export type TLoadProgress = { readonly phase: "downloading" | "parsing" | "indexing"; readonly loadedBytes: number };

export class GraphLoadError extends Error {
  override readonly name = "GraphLoadError";
  constructor(
    message: string,
    readonly status: number | null,
    readonly path?: string,
  ) {
    super(message);
  }
}

export interface TGraphLoad {
  readonly result: Promise<{ graph: TViewerGraph; timings: TParseTimings }>;
  /** Stops the worker (and its download); the promise then never settles. */
  readonly cancel: () => void;
}

export function loadViewerGraph(
  graphId: string,
  state: TViewStateRefs | null,
  onProgress: (p: TLoadProgress) => void,
  isAnonymous = false,
  /** Where the body comes from when not /api/graphs/:id/data (a case-study version's capability route). */
  dataUrl?: string,
): TGraphLoad {
  const worker = new Worker(new URL("./parse.worker.ts", import.meta.url));
  const result = new Promise<{ graph: TViewerGraph; timings: TParseTimings }>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<TParseMessage>) => {
      const message = event.data;
      if (message.type === "progress") onProgress(message);
      else {
        worker.terminate();
        if (message.type === "done") resolve({ graph: message.graph, timings: message.timings });
        else reject(new GraphLoadError(message.message, message.status, message.path));
      }
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new GraphLoadError(`The graph parser stopped: ${event.message || "unknown error"}`, null));
    };
  });
  const url = dataUrl ?? `/api/graphs/${encodeURIComponent(graphId)}/data`;
  const request: TParseRequest = { url, state, isAnonymous };
  worker.postMessage(request);
  return { result, cancel: () => worker.terminate() };
}
