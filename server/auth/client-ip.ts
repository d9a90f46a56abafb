/** The client's address for rate limiting: the first X-Forwarded-For hop (set by Next or a proxy), else "local". */
export function clientIp(header: (name: string) => string | null): string {
  const forwarded = header("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || header("x-real-ip") || "local";
}
