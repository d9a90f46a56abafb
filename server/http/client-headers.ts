/**
 * What the front server (server/http/front-server.ts) tells the app about a request, in headers it sets
 * after removing any copy the client sent:
 *   x-client-ip    the client's address (the socket's peer, or X-Forwarded-For within TRUST_PROXY_HOPS)
 *   x-request-id   one id per request, also sent back in the response; read with `requestIdOf` (server/log)
 * Read the client address only through `clientIpOf`.
 */
import { randomUUID } from "node:crypto";

export const CLIENT_IP_HEADER = "x-client-ip";
export { REQUEST_ID_HEADER } from "../log";

/** Without the front server (a bare `next start`, tests) every caller shares one bucket: "unknown". */
export const UNKNOWN_CLIENT_IP = "unknown";

type HeaderSource = { get(name: string): string | null } | ((name: string) => string | null);

function read(headers: HeaderSource, name: string): string | null {
  return typeof headers === "function" ? headers(name) : headers.get(name);
}

export function clientIpOf(headers: HeaderSource): string {
  return read(headers, CLIENT_IP_HEADER)?.trim() || UNKNOWN_CLIENT_IP;
}

export function newRequestId(): string {
  return randomUUID();
}
