/**
 * The front server: a small Node HTTP server around Next (`npm start` and `npm run dev` run it; see
 * scripts/start.ts). It owns what the framework does not, once, for every request:
 *   1. the client's address from the socket (X-Forwarded-For only within TRUST_PROXY_HOPS), passed on as
 *      x-client-ip after removing whatever the client sent under that name;
 *   2. a request id (x-request-id) on the request and the response;
 *   3. the security headers: CSP with a fresh nonce (Next puts it on its scripts), frame-ancestors 'none'
 *      except on the framing registry's embed routes, which also lose their cookies (cookie-less render);
 *   4. refusals before the app reads anything: bodies over the route's limit (413), chunked bodies where the
 *      route cannot count (411), URLs with NUL / unpaired surrogates (400), cookie-authenticated writes
 *      from another site (403).
 * The app behind it is any Node request handler (Next's `getRequestHandler()` in production).
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { clientAddress } from "./client-address";
import { contentSecurityPolicy } from "./csp";
import { isFrameable } from "./framing";
import { bodyLimitFor, crossSiteRefusal, urlProblem, type BodyLimits } from "./front-policy";
import { CLIENT_IP_HEADER, newRequestId, REQUEST_ID_HEADER } from "./client-headers";

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => unknown;

export interface FrontServerOptions {
  handle: NodeHandler;
  trustProxyHops: number;
  bodyLimits: BodyLimits;
  /** The app's public URL (NEXTAUTH_URL): its origin counts as our own for the CSRF check. */
  publicUrl?: string;
  isDev?: boolean;
}

/** Headers only the front server may set; a client's copies are removed before the app sees the request. */
const OWNED_HEADERS = [
  CLIENT_IP_HEADER,
  REQUEST_ID_HEADER,
  "content-security-policy",
  "content-security-policy-report-only",
];

/** What only a proxy may say; with no trusted proxy (TRUST_PROXY_HOPS=0) a client's copies are dropped. */
const PROXY_HEADERS = ["forwarded", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "x-real-ip"];

function refuse(res: ServerResponse, status: number, code: string, appCode: string, message: string): void {
  const body = JSON.stringify({ error: { code, appCode, message } });
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
    connection: "close",
  });
  res.end(body);
}

/** Rewrites rawHeaders from headers, so no code that reads the raw list sees a removed header. */
function syncRawHeaders(req: IncomingMessage): void {
  const raw: string[] = [];
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) raw.push(name, v);
  }
  (req as { rawHeaders: string[] }).rawHeaders = raw;
}

export function frontRequestHandler(o: FrontServerOptions): NodeHandler {
  const publicOrigin = o.publicUrl ? new URL(o.publicUrl).origin : null;
  return (req, res) => {
    const requestId = newRequestId();
    res.setHeader(REQUEST_ID_HEADER, requestId);
    const rawUrl = req.url ?? "/";
    const pathname = rawUrl.split("?")[0]!;

    // 1. + 2. Who is asking, and which request this is.
    for (const name of OWNED_HEADERS) delete req.headers[name];
    const ip = clientAddress(req.socket.remoteAddress, req.headers["x-forwarded-for"], o.trustProxyHops);
    req.headers[CLIENT_IP_HEADER] = ip;
    req.headers["x-forwarded-for"] = ip; // nothing downstream can read the client's own claim
    req.headers[REQUEST_ID_HEADER] = requestId;
    if (o.trustProxyHops === 0) for (const name of PROXY_HEADERS) delete req.headers[name];

    // 3. Security headers. The CSP also goes on the request: that is where Next looks for the nonce.
    const nonce = randomBytes(16).toString("base64");
    const frameable = isFrameable(pathname);
    const csp = contentSecurityPolicy({ nonce, isFrameable: frameable, isDev: o.isDev });
    req.headers["content-security-policy"] = csp;
    res.setHeader("content-security-policy", csp);
    res.setHeader("x-content-type-options", "nosniff");
    res.setHeader("referrer-policy", "strict-origin-when-cross-origin");
    if (!frameable) res.setHeader("x-frame-options", "DENY");
    if (frameable) {
      // Embeds show what anyone may see, and a framing site can never act as the signed-in user.
      delete req.headers.cookie;
      delete req.headers.authorization;
    }
    syncRawHeaders(req);

    // 4. Refusals, before the app reads anything.
    const badUrl = urlProblem(rawUrl);
    if (badUrl) return refuse(res, 400, "BAD_REQUEST", "INVALID_TEXT", badUrl);
    const { maxBytes, isStreamingOk } = bodyLimitFor(pathname, o.bodyLimits);
    const declared = req.headers["content-length"];
    if (declared !== undefined && Number(declared) > maxBytes) {
      return refuse(
        res,
        413,
        "PAYLOAD_TOO_LARGE",
        "PAYLOAD_TOO_LARGE",
        `The request body (${declared} bytes) is larger than this route's limit of ${maxBytes} bytes`,
      );
    }
    if (declared === undefined && req.headers["transfer-encoding"] && !isStreamingOk) {
      return refuse(res, 411, "BAD_REQUEST", "LENGTH_REQUIRED", "Send a Content-Length with the request body");
    }
    const host = req.headers.host;
    const ownOrigins = [
      ...(publicOrigin ? [publicOrigin] : []),
      ...(host ? [`http://${host}`, `https://${host}`] : []),
    ];
    const crossSite = crossSiteRefusal({ method: req.method ?? "GET", pathname, headers: req.headers, ownOrigins });
    if (crossSite) return refuse(res, 403, "FORBIDDEN", "CROSS_SITE_REQUEST", crossSite);

    return o.handle(req, res);
  };
}

export function createFrontServer(o: FrontServerOptions): Server {
  const server = createServer(frontRequestHandler(o));
  // Bounded waits: a client that trickles headers or a body cannot hold a connection forever.
  server.headersTimeout = 30_000;
  server.requestTimeout = 10 * 60_000; // a 200 MB upload on a slow link
  server.keepAliveTimeout = 5_000;
  return server;
}
