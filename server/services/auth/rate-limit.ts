/**
 * Fixed-window rate limiting over the database (shared by every web instance), atomic on SQLite and
 * PostgreSQL alike: every step is ONE conditional statement, so parallel requests can never take more
 * than `max` attempts in a window (a read-then-write would let them all read the same count).
 *
 *   1. count < max in the current window  → UPDATE … SET count = count + 1 WHERE key AND window AND count < max
 *   2. the window has passed               → UPDATE … SET count = 1, windowStart = now WHERE key AND window passed
 *   3. no row yet                          → INSERT (a parallel INSERT that loses the unique race goes back to 1)
 * PostgreSQL re-checks an UPDATE's WHERE after waiting for the row lock, so 1 and 2 hold under READ
 * COMMITTED; SQLite runs one writer at a time.
 *
 * Usage: `consumeRateLimit(db, { key: "signup:ip:1.2.3.4", max: 5, windowSeconds: 3600 })`; keys are
 * namespaced by their caller ("signin:…", "signup:…"). Expired rows are removed by `sweepRateLimits`.
 */
import type { Db } from "../../db/client";
import { isUniqueViolation } from "../../errors";

export interface RateLimitResult {
  isAllowed: boolean;
  /** Attempts counted in this window, this one included (when allowed). */
  count: number;
  retryAfterSeconds: number;
}

export interface RateLimitOptions {
  key: string;
  max: number;
  windowSeconds: number;
  now?: Date;
}

export async function consumeRateLimit(
  db: Db,
  { key, max, windowSeconds, now = new Date() }: RateLimitOptions,
): Promise<RateLimitResult> {
  const windowOpenedAfter = new Date(now.getTime() - windowSeconds * 1000);
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const counted = await db.rateLimit.updateMany({
      where: { key, windowStart: { gt: windowOpenedAfter }, count: { lt: max } },
      data: { count: { increment: 1 } },
    });
    if (counted.count === 1) return { isAllowed: true, count: await countOf(db, key), retryAfterSeconds: 0 };

    const renewed = await db.rateLimit.updateMany({
      where: { key, windowStart: { lte: windowOpenedAfter } },
      data: { windowStart: now, count: 1 },
    });
    if (renewed.count === 1) return { isAllowed: true, count: 1, retryAfterSeconds: 0 };

    const row = await db.rateLimit.findUnique({ where: { key } });
    if (row) {
      if (row.windowStart.getTime() <= windowOpenedAfter.getTime() || row.count < max) continue; // changed meanwhile
      const retryAfterSeconds = Math.max(
        1,
        Math.ceil((row.windowStart.getTime() + windowSeconds * 1000 - now.getTime()) / 1000),
      );
      return { isAllowed: false, count: row.count, retryAfterSeconds };
    }
    if (max < 1) return { isAllowed: false, count: 0, retryAfterSeconds: windowSeconds };
    try {
      await db.rateLimit.create({ data: { key, windowStart: now, count: 1 } });
      return { isAllowed: true, count: 1, retryAfterSeconds: 0 };
    } catch (e) {
      if (!isUniqueViolation(e)) throw e; // a parallel first attempt created it: count against that row
    }
  }
  throw new Error(`rate limit ${key}: the counter kept changing under five attempts`);
}

async function countOf(db: Db, key: string): Promise<number> {
  return (await db.rateLimit.findUnique({ where: { key }, select: { count: true } }))?.count ?? 0;
}

/** Attempts counted for `key` in its current window (0 when none or the window has passed). */
export async function peekRateLimit(
  db: Db,
  { key, windowSeconds, now = new Date() }: Omit<RateLimitOptions, "max">,
): Promise<number> {
  const row = await db.rateLimit.findUnique({ where: { key } });
  if (!row || row.windowStart.getTime() <= now.getTime() - windowSeconds * 1000) return 0;
  return row.count;
}

/** Forgets `key` (e.g. an account's failures from one address, after that address signs in). */
export async function resetRateLimit(db: Db, key: string): Promise<void> {
  await db.rateLimit.deleteMany({ where: { key } });
}

/**
 * Removes counters whose window ended before `olderThan` (run by the sweeper). Windows differ per caller,
 * so the sweeper passes the longest window in use.
 */
export async function sweepRateLimits(db: Db, { olderThan }: { olderThan: Date }): Promise<number> {
  return (await db.rateLimit.deleteMany({ where: { windowStart: { lt: olderThan } } })).count;
}
