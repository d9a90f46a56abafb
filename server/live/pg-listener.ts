/**
 * Cross-instance delivery on PostgreSQL: one LISTEN connection per process. A durable event's NOTIFY
 * carries only its id; ids are fetched in batches and handed on in id order. If the connection drops, the
 * listener reconnects and catches up from the highest id it had seen, so no instance misses a row.
 */
import { logger } from "../log";
import pg from "pg";
import type { Db } from "../db/client";
import { eventFromRow, type LiveEvent } from "./live-event";
import { DURABLE_CHANNEL, EPHEMERAL_CHANNEL } from "./publish";

const RECONNECT_DELAY_MS = 1_000;
const CATCH_UP_LIMIT = 5_000;

export class PgListener {
  private client: pg.Client | null = null;
  private maxSeenId = 0;
  private pendingIds: number[] = [];
  /** Batches are read one after another so events leave in id order. */
  private chain: Promise<void> = Promise.resolve();
  private isStopped = false;
  private isReconnecting = false;

  constructor(
    private readonly db: Db,
    private readonly databaseUrl: string,
    private readonly deliver: (event: LiveEvent) => void,
  ) {}

  async start(): Promise<void> {
    const last = await this.db.event.findFirst({ orderBy: { id: "desc" }, select: { id: true } });
    this.maxSeenId = last?.id ?? 0;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.isStopped = true;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
    await this.chain;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl });
    client.on("notification", (message) => this.onNotification(message.channel, message.payload ?? ""));
    client.on("error", () => this.reconnectSoon(client));
    client.on("end", () => this.reconnectSoon(client));
    await client.connect();
    await client.query(`LISTEN ${DURABLE_CHANNEL}; LISTEN ${EPHEMERAL_CHANNEL}`);
    this.client = client;
  }

  private reconnectSoon(dead: pg.Client): void {
    if (this.isStopped || this.client !== dead || this.isReconnecting) return;
    this.isReconnecting = true;
    dead.end().catch(() => undefined);
    const retry = () => {
      if (this.isStopped) return;
      this.connect()
        .then(() => {
          this.isReconnecting = false;
          this.enqueue(() => this.catchUp());
        })
        .catch(() => setTimeout(retry, RECONNECT_DELAY_MS).unref());
    };
    setTimeout(retry, RECONNECT_DELAY_MS).unref();
  }

  private onNotification(channel: string, payload: string): void {
    if (channel === EPHEMERAL_CHANNEL) {
      try {
        this.deliver(JSON.parse(payload) as LiveEvent);
      } catch {
        // not ours, or malformed: ephemeral events may be lost by design
      }
      return;
    }
    const id = Number(payload);
    if (!Number.isSafeInteger(id)) return;
    this.pendingIds.push(id);
    if (this.pendingIds.length === 1) this.enqueue(() => this.flush());
  }

  private enqueue(work: () => Promise<void>): void {
    this.chain = this.chain
      .then(work)
      .catch((error: unknown) => logger().error({ err: error }, "live: reading events failed"));
  }

  private async flush(): Promise<void> {
    const ids = this.pendingIds.filter((id) => id > this.maxSeenId);
    this.pendingIds = [];
    if (ids.length === 0) return;
    const rows = await this.db.event.findMany({ where: { id: { in: ids } }, orderBy: { id: "asc" } });
    for (const row of rows) this.hand(eventFromRow(row));
  }

  private async catchUp(): Promise<void> {
    const rows = await this.db.event.findMany({
      where: { id: { gt: this.maxSeenId } },
      orderBy: { id: "asc" },
      take: CATCH_UP_LIMIT,
    });
    for (const row of rows) this.hand(eventFromRow(row));
  }

  private hand(event: LiveEvent): void {
    if (event.id === null || event.id <= this.maxSeenId) return;
    this.maxSeenId = event.id;
    this.deliver(event);
  }
}
