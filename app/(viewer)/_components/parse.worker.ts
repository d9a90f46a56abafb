// The parsing worker: fetches the graph body, parses and validates it with @circuitboard/shared/graph-format (the same
// reader the server uses), builds the viewer's columns and sends them back as transferred buffers. The main
// thread never sees the JSON text or a per-link object.
import { GraphFormatError, parseGraph } from "@circuitboard/shared/graph-format";
import { buildViewerGraph } from "./build-viewer-graph";
import type { TParseMessage, TParseRequest } from "./parse-protocol";
import { transferablesOf } from "./viewer-graph";

const PROGRESS_EVERY_BYTES = 2 * 1024 * 1024;

// The worker scope's postMessage (this file is type-checked with the DOM lib, where `self` is a Window).
const scope = self as unknown as { postMessage(message: TParseMessage, transfer: Transferable[]): void };
const post = (message: TParseMessage, transfer: Transferable[] = []): void => scope.postMessage(message, transfer);

/**
 * The body's JSON bytes. The data route sends the stored gzip as is (Content-Type application/gzip) to a
 * client that accepts it, so inflating happens here, off the main thread, and costs the server nothing.
 */
async function readBody(response: Response): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const isGzip = (response.headers.get("content-type") ?? "").startsWith("application/gzip");
  const stream = isGzip ? response.body.pipeThrough(new DecompressionStream("gzip")) : response.body;
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let loadedBytes = 0;
  let reportedBytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loadedBytes += value.byteLength;
    if (loadedBytes - reportedBytes >= PROGRESS_EVERY_BYTES) {
      reportedBytes = loadedBytes;
      post({ type: "progress", phase: "downloading", loadedBytes });
    }
  }
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(loadedBytes);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

async function serverMessage(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { message?: string } };
    if (body.error?.message) return body.error.message;
  } catch {
    // not JSON: fall through to the status line
  }
  return `The server answered ${response.status} ${response.statusText}`.trim();
}

async function handle({ url, state, isAnonymous }: TParseRequest): Promise<void> {
  const started = performance.now();
  const response = await fetch(url, {
    credentials: isAnonymous ? "omit" : "same-origin",
    headers: { accept: "application/gzip, application/json" },
  });
  if (!response.ok) {
    post({ type: "error", status: response.status, message: await serverMessage(response) });
    return;
  }
  const bytes = await readBody(response);
  const downloaded = performance.now();
  post({ type: "progress", phase: "parsing", loadedBytes: bytes.byteLength });
  const graph = parseGraph(bytes);
  const parsed = performance.now();
  post({ type: "progress", phase: "indexing", loadedBytes: bytes.byteLength });
  const viewerGraph = buildViewerGraph(graph, state);
  const timings = {
    downloadMs: downloaded - started,
    parseMs: parsed - downloaded,
    indexMs: performance.now() - parsed,
    sizeBytes: bytes.byteLength,
  };
  post({ type: "done", graph: viewerGraph, timings }, transferablesOf(viewerGraph));
}

self.onmessage = (event: MessageEvent<TParseRequest>) => {
  handle(event.data).catch((error: unknown) => {
    if (error instanceof GraphFormatError) {
      post({
        type: "error",
        status: null,
        message: `This graph file cannot be read: ${error.message}`,
        path: error.path,
      });
    } else {
      post({ type: "error", status: null, message: error instanceof Error ? error.message : String(error) });
    }
  });
};
