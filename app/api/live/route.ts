/** GET /api/live?topics=…[&lastEventId=…] — the live channel's one stream per tab (server/live/stream.ts). */
import type { NextRequest } from "next/server";
import { requestContext } from "~/server/http/request-context";
import { handleErrors } from "~/server/http/responses";
import { getLiveHub } from "~/server/live";
import { openLiveStream } from "~/server/live/stream";

export const dynamic = "force-dynamic";

export const GET = handleErrors(async (req: NextRequest) =>
  openLiveStream({
    hub: getLiveHub(),
    user: (await requestContext(req)).user,
    topics: req.nextUrl.searchParams.get("topics"),
    lastEventId: req.headers.get("last-event-id") ?? req.nextUrl.searchParams.get("lastEventId"),
    signal: req.signal,
  }),
);
