/**
 * The client's address as the front server works it out. The socket's peer is the truth; X-Forwarded-For
 * is believed only for as many hops as there are trusted proxies (TRUST_PROXY_HOPS), counted from the
 * right, because each proxy appends the address it saw and anything to the left came from the client.
 *
 *   hops 0: the socket peer (X-Forwarded-For ignored)
 *   hops 1: the right-most X-Forwarded-For entry (what the one proxy saw)
 *   hops N: the N-th from the right; when the header has fewer entries, the left-most one
 */
export function clientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustProxyHops: number,
): string {
  const peer = normaliseAddress(socketAddress ?? "") || "unknown";
  if (trustProxyHops <= 0 || !forwardedFor) return peer;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor)
    .split(",")
    .map((h) => normaliseAddress(h.trim()))
    .filter(Boolean);
  if (hops.length === 0) return peer;
  return hops[Math.max(0, hops.length - trustProxyHops)]!;
}

/** "::ffff:127.0.0.1" → "127.0.0.1"; keeps only characters an address can contain (no header injection). */
function normaliseAddress(address: string): string {
  const plain = address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
  return /^[0-9A-Fa-f:.]{2,45}$/.test(plain) ? plain : "";
}
