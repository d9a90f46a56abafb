/**
 * The front server's decisions about one request, as pure functions (server/http/front-server.ts applies
 * them; test/unit/http/front-policy.test.ts checks them):
 *   - how large a body each route may send (refused with 413 before the app reads a byte),
 *   - whether a cookie-authenticated write comes from another site (CSRF: refused with 403),
 *   - whether the URL holds text no database stores (400 before any route sees it).
 */
import { MAX_TOKENIZER_BYTES } from "../jobs/tokenizers";
import { isValidText } from "./valid-text";

export interface BodyLimits {
  uploadBytes: number; // MAX_UPLOAD_BYTES
  trpcBytes: number; // TRPC_MAX_BODY_BYTES
  otherBytes: number;
}
export const DEFAULT_OTHER_BODY_BYTES = 64 * 1024;

const UPLOAD_ROUTES = [
  /^\/api\/workspaces\/[^/]+\/graphs\/?$/,
  /^\/api\/worker\/jobs\/[^/]+\/complete\/?$/,
  /^\/api\/worker\/jobs\/[^/]+\/parts\/[^/]+\/?$/,
];
/** A worker's tokenizer.json (GPT-2's is 1.3 MB, the demo's 128 KB): its route reads at most MAX_TOKENIZER_BYTES. */
const TOKENIZER_ROUTE = /^\/api\/worker\/tokenizers\/[^/]+\/?$/;

/**
 * The largest body a route accepts, and whether it may stream one without a Content-Length (the routes
 * that count bytes while reading; every other route gets 411 for a chunked body).
 */
export function bodyLimitFor(pathname: string, limits: BodyLimits): { maxBytes: number; isStreamingOk: boolean } {
  if (UPLOAD_ROUTES.some((r) => r.test(pathname))) return { maxBytes: limits.uploadBytes, isStreamingOk: true };
  if (TOKENIZER_ROUTE.test(pathname)) return { maxBytes: MAX_TOKENIZER_BYTES, isStreamingOk: true };
  if (pathname === "/api/trpc" || pathname.startsWith("/api/trpc/")) {
    return { maxBytes: limits.trpcBytes, isStreamingOk: true };
  }
  return { maxBytes: limits.otherBytes, isStreamingOk: false };
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** The content types an HTML form (or a no-preflight fetch) can send to another origin. */
const FORM_CONTENT_TYPES = new Set(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]);

export interface RequestFacts {
  method: string;
  pathname: string;
  headers: Record<string, string | string[] | undefined>;
  /** Origins this app is served at (NEXTAUTH_URL's, and the Host header's). */
  ownOrigins: string[];
}

function header(facts: RequestFacts, name: string): string | undefined {
  const v = facts.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Why a cookie-authenticated write must be refused, or null. Only requests that carry a cookie and no
 * Authorization header are checked (API keys and worker tokens cannot be sent by another site's form).
 *  - Sec-Fetch-Site, when the browser sends it, must be same-origin (or none: typed by the user);
 *  - else Origin, when sent, must be one of ours ("null" is not);
 *  - an API route (other than next-auth's, which has its own CSRF token) never takes a form's content type:
 *    a same-site page on another port passes the two checks above in old browsers, not this one.
 */
export function crossSiteRefusal(facts: RequestFacts): string | null {
  if (SAFE_METHODS.has(facts.method.toUpperCase())) return null;
  if (!header(facts, "cookie") || header(facts, "authorization")) return null;
  const site = header(facts, "sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") {
    return `a ${site} request may not act with this site's cookies`;
  }
  const origin = header(facts, "origin");
  if (origin && !facts.ownOrigins.includes(origin))
    return `requests from ${origin.slice(0, 100)} may not act with this site's cookies`;
  const contentType = (header(facts, "content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (
    facts.pathname.startsWith("/api/") &&
    !facts.pathname.startsWith("/api/auth/") &&
    FORM_CONTENT_TYPES.has(contentType)
  ) {
    return `content-type ${contentType} is not accepted with cookies (send JSON, or use an API key)`;
  }
  return null;
}

/** Why a URL is refused (bad percent-encoding, NUL, unpaired surrogates), or null. */
export function urlProblem(rawUrl: string): string | null {
  const q = rawUrl.indexOf("?");
  const parts = q === -1 ? [rawUrl] : [rawUrl.slice(0, q), ...rawUrl.slice(q + 1).split("&")];
  for (const part of parts) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(part.replace(/\+/g, " "));
    } catch {
      return "url: malformed percent-encoding";
    }
    if (!isValidText(decoded)) return "url: contains a NUL character or an unpaired UTF-16 surrogate";
  }
  return null;
}
