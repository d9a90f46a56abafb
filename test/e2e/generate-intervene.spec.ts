/**
 * Generating from the app, start to finish, with the worker `npm start` runs beside it: the prompt box
 * previews tokens and the model's next tokens; generating shows live progress through named phases; the
 * viewer opens the new graph titled with its prompt; a pinned feature is ablated and the clean/intervened
 * table appears; a second member of the workspace opens the saved result by its URL.
 */
import { expect, test, type Page } from "@playwright/test";
import { signUp, stamp } from "./helpers";

test.setTimeout(300_000);

async function clickNode(page: Page, nodeId: string, modifier?: "Control") {
  const position = await page.evaluate((id) => window.__circuitboardViewer?.positionOf(id) ?? null, nodeId);
  expect(position, `node ${nodeId} is drawn`).not.toBeNull();
  const box = (await page.getByTestId("graph-canvas").boundingBox())!;
  if (modifier) await page.keyboard.down(modifier);
  await page.mouse.click(box.x + position!.x, box.y + position!.y);
  if (modifier) await page.keyboard.up(modifier);
}

test("[GENERATE] preview → generate with live phases → viewer → ablate a pinned feature → a member opens the result", async ({
  browser,
}) => {
  const ownerContext = await browser.newContext();
  const page = await ownerContext.newPage();
  await page.goto("/signin");
  await page.getByLabel("Email").fill("demo@circuitboard.local");
  await page.getByLabel("Password").fill("circuitboard-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("link", { name: "Demo workspace" }).click();
  await page.waitForURL(/\/w\/demo$/);

  // The worker beside the app may still be loading: wait until it offers the model.
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("button", { name: "Generate graph" })).toBeEnabled({ timeout: 1000 });
  }).toPass({ timeout: 180_000, intervals: [2000] });

  const prompt = "And God called the light Day, and the darkness he called";
  await page.getByLabel("Prompt", { exact: true }).fill(prompt);
  const preview = page.getByRole("region", { name: "Prompt preview" });
  const chips = preview.getByTestId("prompt-token");
  await expect(async () => {
    await expect(chips.first()).toBeVisible({ timeout: 2000 });
  }).toPass({ timeout: 60_000 }); // the worker sends its tokenizer once it is up
  await expect(preview.getByText("BOS", { exact: true })).toBeVisible();
  await expect(chips.filter({ hasText: "␣God" })).toHaveCount(1); // leading spaces visible
  const nextTokens = preview.getByRole("table", { name: "Top next tokens" });
  await expect(nextTokens.getByRole("row")).toHaveCount(11, { timeout: 30_000 }); // header + 10
  await expect(nextTokens).toContainText("%");

  // Every phase the progress line shows, recorded in the page as it changes.
  await page.evaluate(() => {
    const seen = new Set<string>();
    (window as unknown as { __phases: Set<string> }).__phases = seen;
    new MutationObserver(() => {
      const progress = document.querySelector("[aria-label='Generation progress']");
      for (const el of progress?.querySelectorAll("[data-phase], [data-phase-step]") ?? [])
        seen.add(el.getAttribute("data-phase") ?? el.getAttribute("data-phase-step") ?? "");
    }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  });
  await page.locator("summary", { hasText: "Settings" }).click();
  await page.getByLabel("Batch size").fill("4"); // many small batches: a run long enough to watch
  await page.getByRole("button", { name: "Generate graph" }).click();
  await expect(page.getByRole("progressbar").first()).toBeVisible({ timeout: 60_000 });
  await page.waitForURL(/\/g\/[A-Za-z0-9_-]+/, { timeout: 180_000 });
  const phases = await page.evaluate(() => [...(window as unknown as { __phases: Set<string> }).__phases]);
  const named = phases.filter((p) => p && !["claimed", "starting", "done"].includes(p));
  expect(new Set(named).size, `phases seen: ${phases.join(", ")}`).toBeGreaterThanOrEqual(3);

  await expect(page.getByRole("heading", { level: 1 })).toHaveText(prompt);
  await expect(page.getByTestId("graph-viewer")).toHaveAttribute("data-ready", "true", { timeout: 30_000 });
  const graphId = page.url().split("/g/")[1]!.split("?")[0]!;

  // Pin the most influential feature node of the graph where it is drawn.
  const data = (await (await page.request.get(`/api/graphs/${graphId}/data`)).json()) as {
    nodes: { node_id: string; feature_type: string; influence?: number | null }[];
  };
  const feature = data.nodes
    .filter((n) => /transcoder/.test(n.feature_type))
    .sort((a, b) => (a.influence ?? 1) - (b.influence ?? 1))[0]!;
  await clickNode(page, feature.node_id, "Control");
  const panel = page.getByRole("region", { name: "Interventions" });
  await expect(panel).toContainText("1 pinned feature node");
  await panel.getByLabel("Intervention").selectOption("ablate");
  await panel.getByRole("button", { name: "Run intervention" }).click();
  const result = panel.getByRole("region", { name: "Intervention result" });
  const table = result.getByRole("table", { name: "Clean and intervened next tokens" });
  await expect(table.getByRole("row")).toHaveCount(11, { timeout: 60_000 });
  await expect(result.getByRole("table", { name: "Probability changes" })).toBeVisible();
  await expect(result.getByLabel("Greedy continuations")).toBeVisible();
  const link = await result.getByRole("link", { name: "link" }).getAttribute("href");
  expect(link).toMatch(/\?intervention=/);
  const firstCleanToken = await table.getByRole("row").nth(1).getByRole("cell").first().textContent();

  // A second member, invited by link, opens the saved result by its URL.
  await page.goto("/w/demo");
  await page.getByLabel("Invite as").selectOption("viewer");
  await page.getByRole("button", { name: "Create invitation" }).click();
  const invite = (await page.getByTestId("invite-link").textContent())!.trim();
  const memberContext = await browser.newContext();
  const member = await memberContext.newPage();
  await member.goto(invite);
  await member.getByRole("link", { name: "create an account" }).click();
  await signUp(member, "Mia Member", `mia-${stamp()}@example.test`);
  await member.getByRole("button", { name: "Accept invitation" }).click();
  await expect(member.getByRole("heading", { name: "Demo workspace", exact: true })).toBeVisible();
  await member.goto(link!);
  const shared = member.getByRole("region", { name: "Intervention result" });
  await expect(shared.getByRole("table", { name: "Clean and intervened next tokens" }).getByRole("row")).toHaveCount(
    11,
    {
      timeout: 30_000,
    },
  );
  await expect(
    shared
      .getByRole("table", { name: "Clean and intervened next tokens" })
      .getByRole("row")
      .nth(1)
      .getByRole("cell")
      .first(),
  ).toHaveText(firstCleanToken!);
  await expect(member.getByRole("button", { name: "Run intervention" })).toHaveCount(0); // a viewer runs none

  // Someone outside the workspace gets nothing.
  const outsiderContext = await browser.newContext();
  const outsider = await outsiderContext.newPage();
  const res = await outsider.request.get(
    `/api/trpc/intervention.get?input=${encodeURIComponent(JSON.stringify({ json: { interventionId: link!.split("=")[1] } }))}`,
  );
  expect(res.status()).toBe(404);
  await Promise.all([ownerContext.close(), memberContext.close(), outsiderContext.close()]);
});
