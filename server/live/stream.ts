/**
 * GET /api/live?topics=graph:…,user:…  →  one Server-Sent Events stream carrying every topic a tab follows.
 *
 * Why one stream: HTTP/1.1 allows six connections per origin, so one EventSource per subscription
 * (comments, presence, unread count, job progress, in two tabs) would starve the page. A tab that follows
 * a new topic reconnects with the topics it now needs and its last event id, and misses nothing.
 *
 * Protocol (each SSE message's data is one LiveEvent as JSON):
 *  - durable events carry `id:` (their Event row id), so the browser's EventSource resends it as
 *    Last-Event-ID when it reconnects by itself; a client that reconnects on purpose passes ?lastEventId=.
 *  - the first message is `live.ready` {streamId, topics}; with no last event id it carries the current
 *    newest id, so the next reconnect replays from there.
 *  - `live.reset` means more than MAX_REPLAY events were missed: reload the data instead of replaying.
 *  - presence.join / presence.here / presence.leave {streamId, userId, name} on graph topics (ephemeral).
 *  - a comment line every 20 s keeps proxies from closing an idle stream.
 */
import { logger } from "../log";
import { randomBytes } from "node:crypto";
import type { SessionUser } from "../services/auth/users";
import { AppError } from "../errors";
import type { LiveHub } from "./hub";
import type { LiveEvent } from "./live-event";
import { startPresence } from "./presence";
import { authorizeTopic, ZTopicListSchema, type Topic } from "./topics";

const KEEPALIVE_MS = 20_000;
const RETRY_MS = 2_000;

export interface TLiveRequest {
  readonly hub: LiveHub;
  readonly user: SessionUser | null;
  /** The `topics` query parameter: comma-separated. */
  readonly topics: string | null;
  /** Last-Event-ID header, else the `lastEventId` query parameter. */
  readonly lastEventId: string | null;
  readonly signal: AbortSignal;
}

function parseTopics(raw: string | null): Topic[] {
  const parsed = ZTopicListSchema.safeParse(raw ? [...new Set(raw.split(",").filter(Boolean))] : []);
  if (!parsed.success) throw new AppError("BAD_REQUEST", parsed.error.issues.map((i) => i.message).join("; "));
  return parsed.data;
}

function parseLastEventId(raw: string | null): number | null {
  if (raw === null || raw === "") return null;
  if (!/^\d{1,15}$/.test(raw))
    throw new AppError("BAD_REQUEST", `lastEventId: expected a non-negative integer, got "${raw.slice(0, 20)}"`);
  return Number(raw);
}

function frame(event: LiveEvent): string {
  return `${event.id !== null ? `id: ${event.id}\n` : ""}data: ${JSON.stringify(event)}\n\n`;
}

/** The stream for one tab; throws AppError (UNAUTHORIZED, NOT_FOUND, FORBIDDEN, BAD_REQUEST) when refused. */
export async function openLiveStream(request: TLiveRequest): Promise<Response> {
  // Refusals are thrown before the stream opens (the route answers them as JSON errors with their status).
  const topics = parseTopics(request.topics);
  const lastEventId = parseLastEventId(request.lastEventId);
  for (const topic of topics) await authorizeTopic(request.hub.db, request.user?.id ?? null, topic);
  await request.hub.start();
  const user = request.user!; // authorizeTopic refuses the signed-out
  const { hub } = request;
  const streamId = randomBytes(9).toString("base64url");
  const encoder = new TextEncoder();
  let cleanup = () => {};

  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      let isOpen = true;
      const write = (text: string) => {
        if (!isOpen) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          close();
        }
      };
      // Events that arrive while the replay is read wait here, then go out after it, without duplicates.
      let buffered: LiveEvent[] | null = [];
      let sentUpTo = lastEventId ?? 0;
      const send = (event: LiveEvent) => {
        if (event.id !== null) {
          if (event.id <= sentUpTo) return;
          sentUpTo = event.id;
        }
        write(frame(event));
      };
      const presence = startPresence(hub.db, { streamId, user, topics });
      const unsubscribe = hub.subscribe(topics, (event) => {
        presence.onEvent(event);
        if (buffered) buffered.push(event);
        else send(event);
      });
      const keepalive = setInterval(() => write(": keepalive\n\n"), KEEPALIVE_MS);
      const close = () => {
        if (!isOpen) return;
        isOpen = false;
        clearInterval(keepalive);
        unsubscribe();
        presence.stop();
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      cleanup = close;
      request.signal.addEventListener("abort", close, { once: true });

      write(`retry: ${RETRY_MS}\n\n`);
      try {
        if (lastEventId !== null) {
          const { events, isTruncated } = await hub.replay(topics, lastEventId);
          if (isTruncated) {
            const newest = await hub.db.event.findFirst({ orderBy: { id: "desc" }, select: { id: true } });
            sentUpTo = newest?.id ?? sentUpTo;
            write(frame(liveControl("live.reset", topics, { streamId }, sentUpTo)));
          } else {
            for (const event of events) send(event);
          }
          write(frame(liveControl("live.ready", topics, { streamId, topics }, null)));
        } else {
          const newest = await hub.db.event.findFirst({ orderBy: { id: "desc" }, select: { id: true } });
          sentUpTo = newest?.id ?? 0;
          write(frame(liveControl("live.ready", topics, { streamId, topics }, sentUpTo)));
        }
      } catch (error) {
        logger().error({ err: error, topics }, "live: replay failed");
        close();
        return;
      }
      const waiting = buffered;
      buffered = null;
      for (const event of waiting) send(event);
      presence.announce();
    },
    cancel() {
      cleanup();
    },
  });

  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      // nginx and similar proxies must not buffer the stream.
      "x-accel-buffering": "no",
    },
  });
}

/** A message about the stream itself; `id` (when given) moves the client's last event id. */
function liveControl(type: string, topics: Topic[], payload: Record<string, unknown>, id: number | null): LiveEvent {
  return {
    id,
    topic: topics[0]!,
    type,
    workspaceId: null,
    actorId: null,
    payload,
    createdAt: new Date().toISOString(),
  };
}
