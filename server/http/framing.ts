/**
 * THE framing registry: the only routes another site may put in an <iframe>. Every other route is sent
 * with `frame-ancestors 'none'` (and `X-Frame-Options: DENY`) by the front server.
 *
 * Embed routes are rendered cookie-less: the front server removes the Cookie and Authorization headers
 * of requests to them, so an embed shows exactly what an anonymous visitor may see (public and unlisted
 * content) and a framing site can never act as the signed-in user. Add a prefix here, never a bypass
 * elsewhere; test/unit/http/front-policy.test.ts checks every listed prefix.
 */
export const FRAMEABLE_PREFIXES = [
  "/embed/g/", // a graph view (viewer issue)
  "/embed/s/", // a case study / saved view (case-study issue)
] as const;

/** Whether the page at `pathname` may be framed by any site (and is rendered without credentials). */
export function isFrameable(pathname: string): boolean {
  return FRAMEABLE_PREFIXES.some((prefix) => pathname.startsWith(prefix));
}
