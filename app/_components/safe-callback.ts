/** Only same-site paths: an open redirect would let a crafted link send users anywhere after sign-in. */
export function safeCallback(url: string | undefined): string {
  return url && url.startsWith("/") && !url.startsWith("//") ? url : "/workspaces";
}
