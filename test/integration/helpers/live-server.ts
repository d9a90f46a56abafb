/**
 * One Circuitboard API instance on plain Node HTTP (no Next build): the tRPC router at /api/trpc and the
 * live channel at /api/live, authenticated by API key (Authorization: Bearer cb_…), over DATABASE_URL.
 * The live tests start two of these on one PostgreSQL database; bench/live-latency does too.
 *   DATABASE_URL=… tsx test/integration/helpers/live-server.ts   → prints {"port":N} once listening
 * GET /debug/streams answers how many live streams this instance holds.
 */
import { createServer, type IncomingMessage } from "node:http";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { nodeHTTPRequestHandler } from "@trpc/server/adapters/node-http";
import { createDb } from "../../../server/db/client";
import { createMailer } from "../../../server/mail/mailer";
import { LiveHub } from "../../../server/live/hub";
import { openLiveStream } from "../../../server/live/stream";
import { errorResponse } from "../../../server/http/responses";
import { authenticateApiKey } from "../../../server/services/api-keys";
import { LocalBlobStore } from "../../../server/storage/local-blob-store";
import { appRouter } from "../../../server/trpc/root";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("live-server: set DATABASE_URL");
const db = createDb(databaseUrl);
const hub = new LiveHub(db, databaseUrl);
const store = new LocalBlobStore(mkdtempSync(join(tmpdir(), "cb-live-blobs-")));
// Mail of this server goes to a temporary dev outbox, quietly.
const mailer = createMailer({
  from: "Circuitboard <no-reply@example.test>",
  outboxDir: mkdtempSync(join(tmpdir(), "cb-live-outbox-")),
  baseUrl: "http://circuitboard.test",
  log: () => undefined,
});

async function userOf(req: IncomingMessage) {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "");
  return match?.[1] ? authenticateApiKey(db, match[1]) : null;
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  void (async () => {
    if (url.pathname === "/debug/streams") {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ streams: hub.streamCount }));
      return;
    }
    if (url.pathname === "/api/live") {
      const abort = new AbortController();
      res.on("close", () => abort.abort());
      const response = await openLiveStream({
        hub,
        user: await userOf(req),
        topics: url.searchParams.get("topics"),
        lastEventId: (req.headers["last-event-id"] as string | undefined) ?? url.searchParams.get("lastEventId"),
        signal: abort.signal,
      }).catch(errorResponse);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.flushHeaders();
      if (response.body) Readable.fromWeb(response.body as never).pipe(res);
      else res.end();
      return;
    }
    if (url.pathname.startsWith("/api/trpc/")) {
      const user = await userOf(req);
      await nodeHTTPRequestHandler({
        req,
        res,
        router: appRouter,
        path: url.pathname.slice("/api/trpc/".length),
        createContext: () => ({ db, store, mailer, user, ip: "127.0.0.1" }),
      });
      return;
    }
    res.statusCode = 404;
    res.end();
  })().catch((error: unknown) => {
    console.error(error);
    res.statusCode = 500;
    res.end();
  });
});

await hub.start();
server.listen(Number(process.env.LIVE_SERVER_PORT ?? 0), "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === "object" && address ? address.port : 0 })}\n`);
});
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    server.closeAllConnections();
    server.close();
    void hub
      .stop()
      .then(() => db.$disconnect())
      .then(() => process.exit(0));
  });
}
