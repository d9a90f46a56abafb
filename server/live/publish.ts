/**
 * publish(db, topic, type, options): the one way anything puts an event on the live channel.
 *
 *   await publish(db, topicOf("graph", graphId), "comment.created", {
 *     durable: true, workspaceId, actorId, payload: { threadId, commentId },
 *   });
 *   await publish(db, topicOf("job", jobId), "job.progress", { durable: false, payload: { phase, progress } });
 *
 * Durable events become a row of the append-only Event table and get its id; streams replay them after a
 * reconnect. Ephemeral events are delivered to whoever is connected now and kept nowhere.
 * On PostgreSQL, NOTIFY carries a durable event's id only (its payload limit is 8,000 bytes) and the
 * listening instances read the row; ephemeral events travel inline, which is why payloads are bounded.
 * Event rows are inserted under a transaction-scoped advisory lock, so ids commit in increasing order and a
 * stream that has seen id N can never later miss an id below N.
 */
import type { Db } from "../db/client";
import { isPostgres } from "../db/client";
import { localBusFor } from "./local-bus";
import { eventFromRow, MAX_PAYLOAD_CHARS, type LiveEvent } from "./live-event";
import type { Topic } from "./topics";

export const DURABLE_CHANNEL = "circuitboard_live";
export const EPHEMERAL_CHANNEL = "circuitboard_live_ephemeral";
/** pg_advisory_xact_lock key that orders Event inserts (any fixed number; "cb" in ASCII). */
const EVENT_ORDER_LOCK = 25_442;

export interface TPublishOptions {
  readonly durable: boolean;
  /** Makes the event part of this workspace's activity (delivered to `workspace:<id>` too). */
  readonly workspaceId?: string | null;
  readonly actorId?: string | null;
  readonly payload?: Record<string, unknown>;
}

/** Publishes one event; returns it (with its id when durable). */
export async function publish(db: Db, topic: Topic, type: string, options: TPublishOptions): Promise<LiveEvent> {
  const payload = JSON.stringify(options.payload ?? {});
  if (payload.length > MAX_PAYLOAD_CHARS) {
    throw new Error(
      `live publish ${type} on ${topic}: payload is ${payload.length} characters (at most ${MAX_PAYLOAD_CHARS})`,
    );
  }
  if (!/^[a-z][a-z0-9_.-]{0,59}$/.test(type)) throw new Error(`live publish: bad event type "${type}"`);
  const fields = {
    topic,
    type,
    workspaceId: options.workspaceId ?? null,
    actorId: options.actorId ?? null,
    payload,
  };
  const postgres = isPostgres(db);

  if (!options.durable) {
    const event: LiveEvent = {
      id: null,
      ...fields,
      payload: options.payload ?? {},
      createdAt: new Date().toISOString(),
    };
    if (postgres) await db.$executeRaw`SELECT pg_notify(${EPHEMERAL_CHANNEL}, ${JSON.stringify(event)})`;
    else localBusFor(db).emit("event", event);
    return event;
  }

  if (!postgres) {
    const event = eventFromRow(await db.event.create({ data: fields }));
    localBusFor(db).emit("event", event);
    return event;
  }
  const row = await db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${EVENT_ORDER_LOCK})`);
    const created = await tx.event.create({ data: fields });
    // Delivered at COMMIT, to every listening instance including this one.
    await tx.$executeRaw`SELECT pg_notify(${DURABLE_CHANNEL}, ${String(created.id)})`;
    return created;
  });
  return eventFromRow(row);
}
