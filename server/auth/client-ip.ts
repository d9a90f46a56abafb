import { clientIpOf } from "../http/client-headers";

/**
 * The client's address for rate limiting, as set by the front server (socket peer, or X-Forwarded-For
 * within TRUST_PROXY_HOPS; see server/http/client-address.ts). Never the client's own X-Forwarded-For.
 */
export function clientIp(header: (name: string) => string | null): string {
  return clientIpOf(header);
}
