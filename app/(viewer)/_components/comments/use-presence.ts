"use client";
// Who else is viewing this graph (presence events of the graph topic; see server/live/presence.ts).
import { useEffect, useState } from "react";
import { useLiveStreamId, type TLiveEvent } from "~/app/_components/live/live-provider";

const EXPIRY_MS = 75_000;

export function usePresence() {
  const ownStreamId = useLiveStreamId();
  const [streams, setStreams] = useState<ReadonlyMap<string, { userId: string; name: string; seenAt: number }>>(
    new Map(),
  );
  useEffect(() => {
    const timer = setInterval(() => {
      const now = Date.now();
      setStreams((s) => new Map([...s].filter(([, v]) => now - v.seenAt < EXPIRY_MS)));
    }, 15_000);
    return () => clearInterval(timer);
  }, []);
  const onEvent = (event: TLiveEvent) => {
    if (!event.type.startsWith("presence.")) return;
    const { streamId, userId, name } = event.payload as { streamId: string; userId: string; name: string };
    setStreams((s) => {
      const next = new Map(s);
      if (event.type === "presence.leave") next.delete(streamId);
      else next.set(streamId, { userId, name, seenAt: Date.now() });
      return next;
    });
  };
  const others = new Map<string, string>();
  for (const [streamId, v] of streams) if (streamId !== ownStreamId) others.set(v.userId, v.name);
  return { others: [...others.entries()].map(([userId, name]) => ({ userId, name })), onEvent };
}
