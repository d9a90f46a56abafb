/**
 * THE same-site redirect check (sign-in and sign-up callbacks, next-auth's redirect callback). A path is
 * followed only when it is a plain same-site path in every form a browser might read it in: browsers drop
 * tab, LF and CR from URLs ("/\t/evil.example" becomes "//evil.example") and read "\" as "/", so any
 * control character or backslash is refused, as are scheme-relative ("//host") and absolute URLs, also
 * after percent-decoding (up to three times: "/%2509/…"). Pure: safe in client components.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const FORBIDDEN = /[\u0000-\u001F\u007F\\]/;

function isPlainPath(s: string): boolean {
  return s.startsWith("/") && !s.startsWith("//") && !FORBIDDEN.test(s);
}

export function isSameSitePath(url: string | null | undefined): url is string {
  if (!url) return false;
  let form = url;
  for (let i = 0; i < 3; i += 1) {
    if (!isPlainPath(form)) return false;
    let decoded: string;
    try {
      decoded = decodeURIComponent(form);
    } catch {
      return false;
    }
    if (decoded === form) return true;
    form = decoded;
  }
  return isPlainPath(form);
}

/** `url` when it is a same-site path, else `fallback`. */
export function safeRedirectPath(url: string | null | undefined, fallback: string): string {
  return isSameSitePath(url) ? url : fallback;
}
