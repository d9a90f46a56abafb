/**
 * Limits on the unauthenticated actions that create accounts or send mail (sign-up, password-reset
 * requests, verification resends), over the shared database rate limiter (./rate-limit.ts):
 *   - per client IP: past the limit the caller gets TOO_MANY_REQUESTS (the same for every address);
 *   - per recipient address: past the limit no more mail goes to it, silently, because a different
 *     answer would tell whether the address has an account. This is what stops mail-bombing a victim.
 */
import type { Db } from "../../db/client";
import { AppError } from "../../errors";
import { consumeRateLimit } from "./rate-limit";

export interface AbuseLimits {
  maxPerIp: number;
  maxMailsPerAddress: number;
  windowSeconds: number;
}

export async function assertIpWithinLimit(
  db: Db,
  { action, ip, limits }: { action: string; ip: string; limits: AbuseLimits },
): Promise<void> {
  const r = await consumeRateLimit(db, {
    key: `${action}:ip:${ip}`,
    max: limits.maxPerIp,
    windowSeconds: limits.windowSeconds,
  });
  if (!r.isAllowed) {
    const minutes = Math.ceil(r.retryAfterSeconds / 60);
    throw new AppError(
      "RATE_LIMITED",
      `Too many requests from your network; try again in ${minutes} minute${minutes === 1 ? "" : "s"}`,
      { retryAfterSeconds: r.retryAfterSeconds },
    );
  }
}

/** Counts one mail to `email`; false when the address has had its share for this window. */
export async function mayMailAddress(db: Db, { email, limits }: { email: string; limits: AbuseLimits }) {
  const r = await consumeRateLimit(db, {
    key: `mail:address:${email.toLowerCase()}`,
    max: limits.maxMailsPerAddress,
    windowSeconds: limits.windowSeconds,
  });
  return r.isAllowed;
}
