/**
 * The live channel (see README "Live updates"). Publishers import `publish` and `topicOf`; the route
 * /api/live serves `openLiveStream` over this process's hub.
 */
import { getDb } from "../db/client";
import { env } from "../env";
import { LiveHub } from "./hub";

export { publish, type TPublishOptions } from "./publish";
export { topicOf, type Topic, type TopicKind } from "./topics";
export type { LiveEvent } from "./live-event";

const globalForLive = globalThis as unknown as { circuitboardLiveHub?: LiveHub };

/** The process-wide hub (cached on globalThis so Next's hot reload reuses it). */
export function getLiveHub(): LiveHub {
  globalForLive.circuitboardLiveHub ??= new LiveHub(getDb(), env().DATABASE_URL);
  return globalForLive.circuitboardLiveHub;
}
