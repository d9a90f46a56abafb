/**
 * The worker API (server/jobs/worker-api.ts, the same handlers the Next routes mount) on a plain node:http
 * server over a test database, so real worker processes can run against a real database without a Next build.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import type { Db } from "~/server/db/client";
import { workerApi } from "~/server/jobs/worker-api";
import type { BlobStore } from "~/server/storage/blob-store";

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** What the queue benchmark times: each request's route, job id, arrival and answer (performance.now()). */
export type RequestTiming = {
  route: string;
  jobId: string | undefined;
  startMs: number;
  endMs: number;
  status: number;
};

export async function startWorkerApiServer(
  db: Db,
  store: BlobStore,
  onTiming?: (t: RequestTiming) => void,
  maxUploadBytes = 200 * 1024 * 1024,
): Promise<{ url: string; close(): Promise<void> }> {
  const api = workerApi({ db: () => db, store: () => store, maxUploadBytes: () => maxUploadBytes });
  const routes: [string, RegExp, Handler][] = [
    ["POST", /^\/api\/worker\/claim$/, api.claim],
    ["POST", /^\/api\/worker\/jobs\/(?<id>[^/]+)\/heartbeat$/, api.heartbeat],
    ["POST", /^\/api\/worker\/jobs\/(?<id>[^/]+)\/progress$/, api.progress],
    ["POST", /^\/api\/worker\/jobs\/(?<id>[^/]+)\/complete$/, api.complete],
    ["POST", /^\/api\/worker\/jobs\/(?<id>[^/]+)\/fail$/, api.fail],
    ["POST", /^\/api\/worker\/jobs\/(?<id>[^/]+)\/parts\/(?<name>[^/]+)$/, api.uploadPart],
    ["GET", /^\/api\/worker\/tokenizers\/(?<hash>[^/]+)$/, api.hasTokenizer],
    ["POST", /^\/api\/worker\/tokenizers\/(?<hash>[^/]+)$/, api.putTokenizer],
  ];
  const inFlight = new Set<Promise<void>>();
  const server: Server = createServer((req: IncomingMessage, res) => {
    const hangUp = new AbortController();
    res.on("close", () => hangUp.abort());
    const startMs = performance.now();
    const handling = (async () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const route = routes.find(([m, re]) => m === req.method && re.test(url.pathname));
      let response: Response;
      if (!route) response = new Response("no such route", { status: 404 });
      else {
        const params = route[1].exec(url.pathname)!.groups ?? {};
        const hasBody = req.method !== "GET" && req.method !== "HEAD";
        const request = new Request(url, {
          method: req.method,
          headers: req.headers as Record<string, string>,
          signal: hangUp.signal,
          ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream, duplex: "half" } : {}),
        } as RequestInit);
        response = await route[2](request, { params: Promise.resolve(params) });
      }
      const body = Buffer.from(await response.arrayBuffer());
      if (onTiming && route) {
        const json =
          response.status === 200 && route[2] === api.claim
            ? (JSON.parse(body.toString()) as { job?: { id: string } })
            : null;
        onTiming({
          route: route[2] === api.claim ? "claim" : (url.pathname.split("/").at(-1) ?? ""),
          jobId: json?.job?.id ?? route[1].exec(url.pathname)?.groups?.id,
          startMs,
          endMs: performance.now(),
          status: response.status,
        });
      }
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(body);
    })()
      .catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500);
        res.end(String(e));
      })
      .finally(() => inFlight.delete(handling));
    inFlight.add(handling);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    /** Stops accepting, hangs up on everyone, and waits for the handlers still running (long polls end at once). */
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await Promise.all([...inFlight]);
      await closed;
    },
  };
}
