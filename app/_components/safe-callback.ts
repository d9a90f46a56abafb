import { safeRedirectPath } from "~/server/http/safe-redirect";

/**
 * Only same-site paths: an open redirect would let a crafted link send users anywhere after sign-in.
 * The check itself (control characters, backslashes, scheme-relative forms, percent-encoded variants) is
 * server/http/safe-redirect.ts, shared with next-auth's redirect callback.
 */
export function safeCallback(url: string | undefined): string {
  return safeRedirectPath(url, "/workspaces");
}
