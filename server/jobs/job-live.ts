/**
 * A job's changes on the live channel (topic job:<id>, ephemeral): progress posts, done, failed, cancelled.
 * The browser's useJobProgress refetches the job when one arrives. Best effort: a failed publish never
 * fails the worker's call (the browser also polls, slowly).
 */
import type { Db } from "../db/client";
import { publish } from "../live/publish";
import { topicOf } from "../live/topics";
import { logger } from "../log";

export async function publishJobUpdate(
  db: Db,
  jobId: string,
  type: "job.progress" | "job.finished",
  payload: Record<string, unknown>,
) {
  try {
    await publish(db, topicOf("job", jobId), type, { durable: false, payload: { jobId, ...payload } });
  } catch (err) {
    logger().warn({ err, jobId }, "could not publish a job update on the live channel");
  }
}
