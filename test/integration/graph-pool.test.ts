/**
 * The graph work pool's bounds: a task beyond the running threads and the queue limit is refused at once
 * with BUSY (503 + Retry-After over HTTP), never queued without bound; results are the same as parsing
 * on the spot.
 */
import { afterAll, expect, it } from "vitest";
import { AppError } from "~/server/errors";
import { closeGraphPool, configureGraphPool, runInGraphPool } from "~/server/graph-work/graph-pool";
import { errorResponse } from "~/server/http/responses";
import { CARRIED, readCarried } from "./helpers/fixtures";

const LONG_GRAPH_BYTES = readCarried(CARRIED.demoLong);

afterAll(() => closeGraphPool());

it("one thread, no queue: a second task at the same moment is BUSY; once free, the pool takes work again", async () => {
  configureGraphPool({ threads: 1, queueLimit: 0 });
  const first = runInGraphPool({ kind: "describe", body: LONG_GRAPH_BYTES });
  const second = await runInGraphPool({ kind: "describe", body: LONG_GRAPH_BYTES }).catch((e: unknown) => e);
  expect(second).toBeInstanceOf(AppError);
  expect(second).toMatchObject({ appCode: "BUSY", code: "SERVICE_UNAVAILABLE", retryAfterSeconds: 5 });
  const response = errorResponse(second);
  expect(response.status).toBe(503);
  expect(response.headers.get("retry-after")).toBe("5");
  expect(await first).toMatchObject({ ok: true, kind: "describe", description: { nodeCount: 492, linkCount: 32276 } });
  await expect(runInGraphPool({ kind: "describe", body: LONG_GRAPH_BYTES })).resolves.toMatchObject({ ok: true });
});
