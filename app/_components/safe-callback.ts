import { safeRedirectPath } from "@circuitboard/shared/safe-redirect";

/**
 * Only same-site paths: an open redirect would let a crafted link send users anywhere after sign-in.
 * The check itself (control characters, backslashes, scheme-relative forms, percent-encoded variants) is
 * @circuitboard/shared/safe-redirect, shared with next-auth's redirect callback.
 */
export function safeCallback(url: string | undefined): string {
  return safeRedirectPath(url, "/workspaces");
}
