/** Workers authenticate with the shared WORKER_TOKEN; compared in constant time, digest against digest. */
import { createHash, timingSafeEqual } from "node:crypto";
import { env } from "../env";
import { AppError } from "../errors";

const digest = (s: string) => createHash("sha256").update(s).digest();

export function assertWorker(req: Request): void {
  const expected = env().WORKER_TOKEN;
  if (!expected) throw new AppError("UNAUTHORIZED", "The worker API is disabled: set WORKER_TOKEN on the app");
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.get("authorization") ?? "");
  if (!match?.[1] || !timingSafeEqual(digest(match[1]), digest(expected))) {
    throw new AppError("UNAUTHORIZED", "Invalid worker token");
  }
}
