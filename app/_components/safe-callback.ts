/**
 * Only same-site paths: an open redirect would let a crafted link send users anywhere after sign-in.
 * Browsers read "\" as "/" in URLs, so "/\evil.example" is as external as "//evil.example".
 */
export function safeCallback(url: string | undefined): string {
  return url && /^\/(?![/\\])/.test(url) && !url.includes("\\") ? url : "/workspaces";
}
