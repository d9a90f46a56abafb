/**
 * Who is viewing a graph right now: ephemeral presence events on graph topics, one set per stream.
 * A stream announces itself when it opens (presence.join), answers every other stream's join with
 * presence.here (so a newcomer learns who is already there), repeats presence.here every 30 s, and says
 * presence.leave when it closes. Clients drop a stream not heard from for 75 s (an instance that died
 * cannot say leave).
 */
import { logger } from "../log";
import type { Db } from "../db/client";
import type { SessionUser } from "../services/auth/users";
import type { LiveEvent } from "./live-event";
import { publish } from "./publish";
import { splitTopic, type Topic } from "./topics";

export const PRESENCE_REPEAT_MS = 30_000;
export const PRESENCE_EXPIRY_MS = 75_000;

export function startPresence(db: Db, options: { streamId: string; user: SessionUser; topics: readonly Topic[] }) {
  const graphTopics = options.topics.filter((t) => splitTopic(t).kind === "graph");
  const payload = { streamId: options.streamId, userId: options.user.id, name: options.user.name };
  let isStopped = graphTopics.length === 0;
  const say = (type: "presence.join" | "presence.here" | "presence.leave", topics: readonly Topic[] = graphTopics) => {
    for (const topic of topics) {
      publish(db, topic, type, { durable: false, actorId: options.user.id, payload }).catch((error: unknown) =>
        logger().warn({ err: error, topic }, "live: presence failed"),
      );
    }
  };
  const repeat = isStopped ? null : setInterval(() => say("presence.here"), PRESENCE_REPEAT_MS);
  repeat?.unref();
  return {
    announce() {
      if (!isStopped) say("presence.join");
    },
    onEvent(event: LiveEvent) {
      if (isStopped || event.type !== "presence.join" || event.payload.streamId === options.streamId) return;
      if (graphTopics.includes(event.topic)) say("presence.here", [event.topic]);
    },
    stop() {
      if (isStopped) return;
      isStopped = true;
      if (repeat) clearInterval(repeat);
      say("presence.leave");
    },
  };
}
