/**
 * The shape of everything the live channel carries. A durable event has the id of its row in the Event
 * table (a reconnecting stream replays from it); an ephemeral one (presence, job progress) has id null and
 * is never stored.
 */
import type { Topic } from "./topics";

export interface LiveEvent {
  /** The Event row's id; null for ephemeral events. */
  readonly id: number | null;
  readonly topic: Topic;
  /** Dotted, past tense: "comment.created", "thread.resolved", "presence.here", "job.progress". */
  readonly type: string;
  /** Set on events that belong to a workspace's activity: `workspace:<id>` subscribers receive them too. */
  readonly workspaceId: string | null;
  readonly actorId: string | null;
  readonly payload: Record<string, unknown>;
  /** ISO time. */
  readonly createdAt: string;
}

/** Payloads stay small (ids and short facts; never user text): a NOTIFY payload is limited to 8,000 bytes. */
export const MAX_PAYLOAD_CHARS = 4_000;

/** Does a stream following `topics` receive `event`? */
export function isDeliveredTo(topics: ReadonlySet<string>, event: LiveEvent): boolean {
  return topics.has(event.topic) || (event.workspaceId !== null && topics.has(`workspace:${event.workspaceId}`));
}

export function eventFromRow(row: {
  id: number;
  topic: string;
  type: string;
  workspaceId: string | null;
  actorId: string | null;
  payload: string;
  createdAt: Date;
}): LiveEvent {
  return {
    id: row.id,
    topic: row.topic as Topic,
    type: row.type,
    workspaceId: row.workspaceId,
    actorId: row.actorId,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    createdAt: row.createdAt.toISOString(),
  };
}
