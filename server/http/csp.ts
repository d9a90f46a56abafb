/**
 * The Content-Security-Policy of every response. Scripts run only with this response's nonce (Next adds it
 * to its own script tags when it finds it in the request's CSP header) and what those scripts load
 * ('strict-dynamic'); inline styles remain (React style props), so style-src keeps 'unsafe-inline'.
 * `frame-ancestors 'none'` except on the routes in the framing registry (server/http/framing.ts).
 */
export function contentSecurityPolicy({
  nonce,
  isFrameable,
  isDev = false,
}: {
  nonce: string;
  isFrameable: boolean;
  isDev?: boolean;
}): string {
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    // next dev evaluates modules and talks to its HMR socket; production needs neither.
    "script-src": ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(isDev ? ["'unsafe-eval'"] : [])],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'", ...(isDev ? ["ws:", "wss:"] : [])],
    // The viewer parses graphs in a Web Worker served from /_next/static.
    "worker-src": ["'self'", "blob:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": isFrameable ? ["*"] : ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(" ")}`)
    .join("; ");
}
