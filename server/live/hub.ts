/**
 * The live hub of one process: the streams connected to this instance, and the fan-out of every event to
 * those that follow its topic. Events reach the hub from the local bus (SQLite) or from PostgreSQL's
 * NOTIFY (pg-listener.ts), whichever instance published them.
 */
import { logger } from "../log";
import type { Db } from "../db/client";
import { isPostgres } from "../db/client";
import { isDeliveredTo, eventFromRow, type LiveEvent } from "./live-event";
import { localBusFor } from "./local-bus";
import { PgListener } from "./pg-listener";
import { splitTopic, type Topic } from "./topics";

/** At most this many events are replayed to a reconnecting stream; beyond it the client reloads (live.reset). */
export const MAX_REPLAY = 1_000;

interface TSubscriber {
  readonly topics: ReadonlySet<string>;
  readonly deliver: (event: LiveEvent) => void;
}

export class LiveHub {
  private readonly subscribers = new Set<TSubscriber>();
  private listener: PgListener | null = null;
  private started: Promise<void> | null = null;
  private readonly onLocal = (event: LiveEvent) => this.dispatch(event);

  constructor(
    readonly db: Db,
    private readonly databaseUrl: string,
  ) {}

  /** Idempotent; the first stream starts the hub. */
  start(): Promise<void> {
    this.started ??= (async () => {
      if (isPostgres(this.db)) {
        this.listener = new PgListener(this.db, this.databaseUrl, (event) => this.dispatch(event));
        await this.listener.start();
      } else {
        localBusFor(this.db).on("event", this.onLocal);
      }
    })();
    return this.started;
  }

  async stop(): Promise<void> {
    localBusFor(this.db).off("event", this.onLocal);
    await this.listener?.stop();
    this.listener = null;
    this.started = null;
    this.subscribers.clear();
  }

  /** Follows `topics`; returns the unsubscribe function. */
  subscribe(topics: readonly Topic[], deliver: (event: LiveEvent) => void): () => void {
    const subscriber: TSubscriber = { topics: new Set(topics), deliver };
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  /** How many streams this instance holds (benchmarks and tests; one per browser tab). */
  get streamCount(): number {
    return this.subscribers.size;
  }

  /** Durable events of `topics` after `afterId`, oldest first; `isTruncated` when more than MAX_REPLAY. */
  async replay(topics: readonly Topic[], afterId: number): Promise<{ events: LiveEvent[]; isTruncated: boolean }> {
    const workspaceIds = topics.map(splitTopic).flatMap((t) => (t.kind === "workspace" ? [t.id] : []));
    const rows = await this.db.event.findMany({
      where: {
        id: { gt: afterId },
        OR: [{ topic: { in: [...topics] } }, ...(workspaceIds.length ? [{ workspaceId: { in: workspaceIds } }] : [])],
      },
      orderBy: { id: "asc" },
      take: MAX_REPLAY + 1,
    });
    return { events: rows.slice(0, MAX_REPLAY).map(eventFromRow), isTruncated: rows.length > MAX_REPLAY };
  }

  private dispatch(event: LiveEvent): void {
    for (const subscriber of this.subscribers) {
      if (!isDeliveredTo(subscriber.topics, event)) continue;
      try {
        subscriber.deliver(event);
      } catch (error) {
        logger().error({ err: error, topic: event.topic, type: event.type }, "live: a subscriber failed");
      }
    }
  }
}
