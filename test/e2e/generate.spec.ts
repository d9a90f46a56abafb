/**
 * The newcomer's first minute with the demo model: the worker `npm start` runs beside the app has made the
 * demo workspace's seed graphs; typing a prompt queues a job, and the page opens the new graph when the worker
 * is done. (Progress arrives only on the lease heartbeat today, so a one-second job shows none: not asserted.)
 */
import { expect, test } from "@playwright/test";

test.setTimeout(300_000);

test("[GENERATE] the demo worker fills the demo workspace, and a prompt becomes a graph", async ({ page }) => {
  await page.goto("/signin");
  await page.getByLabel("Email").fill("demo@circuitboard.local");
  await page.getByLabel("Password").fill("circuitboard-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("link", { name: "Demo workspace" }).click();
  await page.waitForURL(/\/w\/demo$/);

  // The three seed jobs, done by the worker (reload until they are; the worker may still be loading). Other
  // specs generate in the demo workspace too, so each seed graph is looked for by its title.
  const graphs = page.getByRole("table", { name: "Graphs" });
  const SEED_TITLES = [
    "Genesis 1:1 — created the heaven",
    "Psalm 23 — I shall not want",
    "Genealogy — who Isaac begat",
  ];
  await expect(async () => {
    await page.reload();
    for (const title of SEED_TITLES) {
      await expect(graphs.getByRole("row", { name: new RegExp(`${title}.*generated`) })).toHaveCount(1, {
        timeout: 1000,
      });
    }
  }).toPass({ timeout: 240_000, intervals: [3000] });

  await page.getByLabel("Prompt", { exact: true }).fill("And the LORD spake unto Moses, saying,");
  await page.getByRole("button", { name: "Generate graph" }).click();
  await page.waitForURL(/\/g\/[A-Za-z0-9]+/, { timeout: 120_000 });
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByText(/nodes · .* links/).first()).toBeVisible();
});
