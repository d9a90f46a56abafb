/**
 * `npm start` queues the demo model's dashboards as a system job; the worker beside the app computes and
 * uploads them, and the dashboard route serves one feature to a signed-in user through the real Next
 * route, with its cache headers; signed out it answers 401.
 */
import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

const FEATURE = "model=circuitboard-demo-gpt2&set=circuitboard-demo-gpt2-transcoders&layer=1&index=5";

test("the demo model's dashboards, computed by the worker after npm start, are served per feature", async ({
  page,
}) => {
  // Behind the demo graphs' generation (higher priority), then 32 windows: well within this.
  test.setTimeout(240_000);
  expect((await page.request.get(`/api/feature-dashboard?${FEATURE}`)).status()).toBe(401);
  await signIn(page, "demo@circuitboard.local", "circuitboard-demo");
  let res = await page.request.get(`/api/feature-dashboard?${FEATURE}`);
  await expect
    .poll(async () => (res = await page.request.get(`/api/feature-dashboard?${FEATURE}`)).status(), {
      timeout: 200_000,
      intervals: [2000],
    })
    .toBe(200);
  const record = (await res.json()) as { layer: number; feature: number; histogram: number[] };
  expect(record).toMatchObject({ layer: 1, feature: 5 });
  expect(res.headers()["cache-control"]).toBe("private, no-cache");
  const version = res.headers()["x-dashboard-version"]!;
  const pinned = await page.request.get(`/api/feature-dashboard?${FEATURE}&v=${version}`);
  expect(pinned.headers()["cache-control"]).toBe("private, max-age=31536000, immutable");
  const missing = await page.request.get(`/api/feature-dashboard?${FEATURE.replace("index=5", "index=99999")}`);
  expect(missing.status()).toBe(404);
  expect(((await missing.json()) as { error: { appCode: string } }).error.appCode).toBe("NO_DASHBOARD_FEATURE");
});
