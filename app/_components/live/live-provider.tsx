"use client";
// The browser side of the live channel: ONE EventSource per tab, whatever number of components follow
// topics (comments of the open graph, presence, the unread count, a job's progress). Components call
// useLiveTopic(topic, onEvent); when the set of followed topics changes the provider reopens its stream with
// the new set and the last event id it has seen, so the server replays whatever happened in between.
import { createContext, useContext, useEffect, useRef, useState } from "react";

export interface TLiveEvent {
  readonly id: number | null;
  readonly topic: string;
  readonly type: string;
  readonly workspaceId: string | null;
  readonly actorId: string | null;
  readonly payload: Record<string, unknown>;
  readonly createdAt: string;
}

type THandler = (event: TLiveEvent) => void;

const TOPIC_CHANGE_DEBOUNCE_MS = 50;

class LiveConnection {
  private readonly handlers = new Map<string, Set<THandler>>();
  private source: EventSource | null = null;
  private openTopics = "";
  private lastEventId: string | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  streamId: string | null = null;
  readonly statusListeners = new Set<(isConnected: boolean) => void>();

  follow(topic: string, handler: THandler): () => void {
    let set = this.handlers.get(topic);
    if (!set) this.handlers.set(topic, (set = new Set()));
    set.add(handler);
    this.schedule();
    return () => {
      set.delete(handler);
      if (set.size === 0) this.handlers.delete(topic);
      this.schedule();
    };
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.reconnectIfChanged(), TOPIC_CHANGE_DEBOUNCE_MS);
  }

  private reconnectIfChanged(): void {
    const topics = [...this.handlers.keys()].sort().join(",");
    if (topics === this.openTopics && this.source) return;
    this.source?.close();
    this.source = null;
    this.openTopics = topics;
    if (!topics) return;
    const params = new URLSearchParams({ topics });
    if (this.lastEventId) params.set("lastEventId", this.lastEventId);
    const source = new EventSource(`/api/live?${params}`);
    this.source = source;
    source.onmessage = (message) => {
      if (message.lastEventId) this.lastEventId = message.lastEventId;
      const event = JSON.parse(message.data as string) as TLiveEvent;
      if (event.type === "live.ready") {
        this.streamId = String(event.payload.streamId);
        for (const l of this.statusListeners) l(true);
      }
      const targets =
        event.type.startsWith("live.") || !this.handlers.has(event.topic)
          ? // stream messages, and workspace activity events (topic graph:…, delivered for workspace:…)
            [...this.handlers.entries()]
              .filter(([t]) => event.type.startsWith("live.") || t === `workspace:${event.workspaceId}`)
              .flatMap(([, hs]) => [...hs])
          : [...this.handlers.get(event.topic)!];
      for (const handler of targets) handler(event);
    };
    source.onerror = () => {
      for (const l of this.statusListeners) l(false);
      // EventSource reconnects by itself (sending Last-Event-ID) unless the server refused the stream.
      if (source.readyState === EventSource.CLOSED && this.source === source) {
        this.source = null;
        setTimeout(() => this.reconnectIfChanged(), 5_000);
      }
    };
  }

  close(): void {
    clearTimeout(this.timer);
    this.source?.close();
    this.source = null;
  }
}

const LiveContext = createContext<LiveConnection | null>(null);

export function LiveProvider({ children }: { children: React.ReactNode }) {
  const [connection] = useState(() => new LiveConnection());
  useEffect(() => () => connection.close(), [connection]);
  return <LiveContext value={connection}>{children}</LiveContext>;
}

/** Follows `topic` (null: nothing) while mounted; `onEvent` may change between renders. */
export function useLiveTopic(topic: string | null, onEvent: THandler): void {
  const connection = useContext(LiveContext);
  const handler = useRef(onEvent);
  useEffect(() => {
    handler.current = onEvent;
  });
  useEffect(() => {
    if (!connection || !topic) return;
    return connection.follow(topic, (event) => handler.current(event));
  }, [connection, topic]);
}

/** This tab's stream id (to tell one's own presence from others'), once connected. */
export function useLiveStreamId(): string | null {
  const connection = useContext(LiveContext);
  const [streamId, setStreamId] = useState<string | null>(connection?.streamId ?? null);
  useEffect(() => {
    if (!connection) return;
    const listener = () => setStreamId(connection.streamId);
    connection.statusListeners.add(listener);
    return () => {
      connection.statusListeners.delete(listener);
    };
  }, [connection]);
  return streamId;
}
