/**
 * In-process wake-ups for the queue: a waiting claim wakes when a job is enqueued, a waiting preview when
 * its job finishes. Only a shortcut: across app instances every waiter also re-reads the database on a
 * short interval, so a missed event costs latency, never correctness.
 */
import { EventEmitter } from "node:events";

const g = globalThis as unknown as { circuitboardJobEvents?: EventEmitter };
const events = (g.circuitboardJobEvents ??= new EventEmitter().setMaxListeners(0));

export function notifyJobEnqueued(): void {
  events.emit("enqueued");
}

export function notifyJobFinished(jobId: string): void {
  events.emit(`finished:${jobId}`);
}

/** Resolves after `ms`, or earlier on the event. */
function waitFor(event: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      events.off(event, done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    events.once(event, done);
  });
}

export const waitForEnqueue = (ms: number) => waitFor("enqueued", ms);
export const waitForFinish = (jobId: string, ms: number) => waitFor(`finished:${jobId}`, ms);
