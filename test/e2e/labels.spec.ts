/**
 * Feature labels across two members and two graphs: A labels a feature from the viewer's feature panel; B (a
 * viewer of the workspace) votes it up in the label queue with the keyboard; the label then shows on that
 * feature's node in a second graph containing the same feature, and in that graph's export (`clerp`). The
 * feature page lists both graphs and the label. A label body with <script>, an onerror attribute and a
 * javascript: URL renders as inert text.
 */
import { expect, test, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { LONG_GRAPH, signUp, signUpWithWorkspace, stamp } from "./helpers";

/** The most important transcoder feature node of the file (the smallest cumulative influence). */
function topFeatureNode(path: string): string {
  const file = JSON.parse(readFileSync(path, "utf8")) as {
    nodes: { node_id: string; feature_type: string; influence?: number }[];
  };
  return file.nodes
    .filter((n) => n.feature_type === "cross layer transcoder" && typeof n.influence === "number")
    .reduce((best, n) => (n.influence! < best.influence! ? n : best)).node_id;
}

async function waitForViewer(page: Page) {
  await expect(page.getByTestId("graph-viewer")).toHaveAttribute("data-ready", "true", { timeout: 30_000 });
}

async function upload(page: Page, title: string) {
  await page.getByLabel("Title (optional)").fill(title);
  await page.getByLabel("Graph file", { exact: true }).setInputFiles(LONG_GRAPH);
  await expect(page.getByRole("status")).toContainText(`Imported ${title}`);
}

const XSS = `<script>window.__labelXss=1</script><img src=x onerror="window.__labelXss=2"> javascript:window.__labelXss=3`;

test("[LABELS] label from the viewer, vote in the queue, shown in a second graph and its export; inert XSS", async ({
  browser,
}) => {
  const node = topFeatureNode(LONG_GRAPH);
  const label = `reads the verse ${stamp()}`;

  const alice = await (await browser.newContext()).newPage();
  const slug = await signUpWithWorkspace(alice, "Alice Labeller", "Labels");
  await upload(alice, "Labels one");
  await upload(alice, "Labels two");
  await alice.getByLabel("Invite as").selectOption("viewer");
  await alice.getByRole("button", { name: "Create invitation" }).click();
  const link = (await alice.getByTestId("invite-link").textContent())!.trim();

  const bob = await (await browser.newContext()).newPage();
  await bob.goto(link);
  await bob.getByRole("link", { name: "create an account" }).click();
  await signUp(bob, `Bob ${stamp()}`);
  await bob.waitForLoadState("networkidle");
  await bob.getByRole("button", { name: "Accept invitation" }).click();
  await expect(bob).toHaveURL(new RegExp(`/w/${slug}`));

  // A labels the feature from graph one's feature panel.
  await alice.goto(`/w/${slug}`);
  await alice.getByRole("link", { name: "Labels one" }).first().click();
  await waitForViewer(alice);
  const graphOne = new URL(alice.url()).pathname;
  await alice.goto(`${graphOne}?clickedId=${node}`);
  await waitForViewer(alice);
  const panel = alice.getByTestId("feature-labels");
  await panel.getByTestId("propose-label-input").fill(label);
  await panel.getByRole("button", { name: "Propose label" }).click();
  await expect(panel.getByTestId("label-text")).toHaveText([label]);
  await expect(alice.getByTestId("feature-label")).toHaveText(label);

  // XSS: plain text, whatever it looks like.
  await panel.getByTestId("propose-label-input").fill(XSS);
  await panel.getByRole("button", { name: "Propose label" }).click();
  await expect(panel.getByTestId("label-text").filter({ hasText: "window.__labelXss=1" })).toHaveText(XSS);
  expect(await panel.locator("img, script").count()).toBe(0);
  expect(await alice.evaluate(() => (window as unknown as { __labelXss?: number }).__labelXss)).toBeUndefined();

  // B votes it up in the label queue: skip (s) to the feature that carries A's label, then press its number.
  await bob.goto(`/w/${slug}/labels`);
  const item = bob.getByTestId("queue-item");
  await expect(item).toBeVisible({ timeout: 20_000 });
  for (let i = 0; i < 40; i++) {
    await expect(item.getByTestId("label-list")).not.toContainText("Loading labels");
    if ((await item.getByTestId("label-text").filter({ hasText: label }).count()) > 0) break;
    const key = await item.getAttribute("data-feature-key");
    await bob.keyboard.press("s");
    await expect(item).not.toHaveAttribute("data-feature-key", key!);
  }
  const texts = await item.getByTestId("label-text").allTextContents();
  const position = texts.indexOf(label);
  expect(position).toBeGreaterThanOrEqual(0);
  await bob.keyboard.press(String(position + 1));
  const row = item.getByTestId("label-item").filter({ hasText: label });
  await expect(row.getByTestId("up-count")).toHaveText("1");
  await expect(bob.getByTestId("label-contributions")).toContainText("0 labels, 1 votes");

  // The second graph shows the label on that feature's node, and its export carries it.
  await alice.goto(`/w/${slug}`);
  await alice.getByRole("link", { name: "Labels two" }).first().click();
  await waitForViewer(alice);
  const graphTwo = new URL(alice.url()).pathname;
  await alice.goto(`${graphTwo}?clickedId=${node}`);
  await waitForViewer(alice);
  await expect(alice.getByTestId("feature-label")).toHaveText(label);
  const graphTwoId = graphTwo.split("/g/")[1]!;
  const exported = (await (await alice.request.get(`/api/graphs/${graphTwoId}/export`)).json()) as {
    nodes: { node_id: string; clerp?: string }[];
  };
  expect(exported.nodes.find((n) => n.node_id === node)?.clerp).toBe(label);

  // The feature page: both graphs, and the label with its vote.
  await alice.getByTestId("feature-page-link").click();
  await expect(alice.getByTestId("feature-title")).toBeVisible();
  await expect(alice.getByTestId("feature-graph")).toHaveCount(2);
  await expect(alice.getByTestId("label-item").filter({ hasText: label }).getByTestId("up-count")).toHaveText("1");
  await expect(alice.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  expect(await alice.evaluate(() => (window as unknown as { __labelXss?: number }).__labelXss)).toBeUndefined();

  // A set id with a "/" travels as one encoded segment.
  await alice.goto("/f/gemma-2-2b/mntss%2Fclt-gemma-2-2b-2.5M/3/451");
  await expect(alice.getByTestId("feature-title")).toHaveText("Feature L3 #451");
  await expect(alice.getByText("mntss/clt-gemma-2-2b-2.5M")).toBeVisible();
});
