/**
 * What the front server (server/http/front-server.ts) tells route handlers, server components and the
 * tRPC context about a request, in headers it sets after removing any copy the client sent:
 *   x-client-ip    the client's address (the socket's peer, or X-Forwarded-For within TRUST_PROXY_HOPS)
 *   x-request-id   one id per request, also sent back in the response and written with every logged error
 * Read them only through these helpers.
 */
import { randomUUID } from "node:crypto";

export const CLIENT_IP_HEADER = "x-client-ip";
export const REQUEST_ID_HEADER = "x-request-id";

/** Without the front server (a bare `next start`, tests) every caller shares one bucket: "unknown". */
export const UNKNOWN_CLIENT_IP = "unknown";

type HeaderSource = { get(name: string): string | null } | ((name: string) => string | null);

function read(headers: HeaderSource, name: string): string | null {
  return typeof headers === "function" ? headers(name) : headers.get(name);
}

export function clientIpOf(headers: HeaderSource): string {
  return read(headers, CLIENT_IP_HEADER)?.trim() || UNKNOWN_CLIENT_IP;
}

/** The front server's id for this request; a fresh one where there is none (tests, direct calls). */
export function requestIdOf(headers: HeaderSource): string {
  const id = read(headers, REQUEST_ID_HEADER)?.trim();
  return id && /^[A-Za-z0-9-]{8,64}$/.test(id) ? id : newRequestId();
}

export function newRequestId(): string {
  return randomUUID();
}
