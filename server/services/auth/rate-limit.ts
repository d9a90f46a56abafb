/**
 * Fixed-window rate limiting over the database (shared by every web instance).
 * `consumeRateLimit` counts one attempt for `key` and says whether it is within `max` per window.
 */
import type { Db } from "../../db/client";

export interface RateLimitResult {
  isAllowed: boolean;
  retryAfterSeconds: number;
}

export async function consumeRateLimit(
  db: Db,
  { key, max, windowSeconds, now = new Date() }: { key: string; max: number; windowSeconds: number; now?: Date },
): Promise<RateLimitResult> {
  return db.$transaction(async (tx) => {
    const row = await tx.rateLimit.findUnique({ where: { key } });
    const windowMs = windowSeconds * 1000;
    if (!row || now.getTime() - row.windowStart.getTime() >= windowMs) {
      await tx.rateLimit.upsert({
        where: { key },
        create: { key, windowStart: now, count: 1 },
        update: { windowStart: now, count: 1 },
      });
      return { isAllowed: true, retryAfterSeconds: 0 };
    }
    const retryAfterSeconds = Math.ceil((row.windowStart.getTime() + windowMs - now.getTime()) / 1000);
    if (row.count >= max) return { isAllowed: false, retryAfterSeconds };
    await tx.rateLimit.update({ where: { key }, data: { count: { increment: 1 } } });
    return { isAllowed: true, retryAfterSeconds: 0 };
  });
}
