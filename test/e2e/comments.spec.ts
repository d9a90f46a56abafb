/**
 * Comments between two members in two browser contexts on the same graph, everything live (no reloads):
 * A comments on a node and mentions B; B's unread count and the node's badge update; B opens the
 * notification and lands on the graph with that node selected and the thread open; B replies; A sees the
 * reply; A resolves; the badge clears for both. Presence shows each to the other.
 */
import { expect, test, type Browser, type Page } from "@playwright/test";
import { LONG_GRAPH, signUp, signUpWithWorkspace, stamp } from "./helpers";
import { readFileSync } from "node:fs";

function topLogitOf(path: string): string {
  const file = JSON.parse(readFileSync(path, "utf8")) as {
    nodes: { node_id: string; feature_type: string; token_prob?: number }[];
  };
  return file.nodes
    .filter((n) => n.feature_type === "logit")
    .reduce((best, n) => ((n.token_prob ?? 0) > (best.token_prob ?? 0) ? n : best)).node_id;
}

/** Another logit than the top one (logits are never pruned), for the "commented nodes" filter. */
function otherLogitOf(path: string, except: string): string {
  const file = JSON.parse(readFileSync(path, "utf8")) as { nodes: { node_id: string; feature_type: string }[] };
  return file.nodes.find((n) => n.feature_type === "logit" && n.node_id !== except)!.node_id;
}

const isFaded = (page: Page, nodeId: string) =>
  page.evaluate((id) => window.__circuitboardViewer?.isFaded(id) ?? null, nodeId);

async function waitForViewer(page: Page) {
  await expect(page.getByTestId("graph-viewer")).toHaveAttribute("data-ready", "true", { timeout: 30_000 });
}

async function clickNode(page: Page, nodeId: string) {
  const position = await page.evaluate((id) => window.__circuitboardViewer?.positionOf(id) ?? null, nodeId);
  expect(position, `node ${nodeId} is drawn`).not.toBeNull();
  const box = (await page.getByTestId("graph-canvas").boundingBox())!;
  await page.mouse.click(box.x + position!.x, box.y + position!.y);
}

/** Alice's workspace with the puppy graph, and Bob (a viewer) invited into it: both pages, and the graph URL. */
export async function twoMembersOnAGraph(browser: Browser, title: string) {
  const alice = await (await browser.newContext()).newPage();
  const slug = await signUpWithWorkspace(alice, "Alice Author", "Comments");
  await alice.getByLabel("Title (optional)").fill(title);
  await alice.getByLabel("Graph file", { exact: true }).setInputFiles(LONG_GRAPH);
  await expect(alice.getByRole("status")).toContainText(`Imported ${title}`);
  await alice.getByLabel("Invite as").selectOption("viewer");
  await alice.getByRole("button", { name: "Create invitation" }).click();
  const link = (await alice.getByTestId("invite-link").textContent())!.trim();

  const bob = await (await browser.newContext()).newPage();
  await bob.goto(link);
  await bob.getByRole("link", { name: "create an account" }).click();
  const bobName = `Bob ${stamp()}`;
  await signUp(bob, bobName);
  await expect(bob.getByRole("heading", { name: /^Join / })).toBeVisible();
  await bob.waitForLoadState("networkidle"); // the button acts through React once hydrated
  await bob.getByRole("button", { name: "Accept invitation" }).click();
  await expect(bob).toHaveURL(new RegExp(`/w/${slug}`));

  await alice.goto(`/w/${slug}`);
  await alice.getByRole("link", { name: title }).first().click();
  await waitForViewer(alice);
  const graphUrl = new URL(alice.url()).pathname;
  await bob.goto(graphUrl);
  await waitForViewer(bob);
  return { alice, bob, bobName, slug, graphUrl };
}

test("[COMMENTS] mention, unread count, badge, deep link, reply and resolve, all live across two members", async ({
  browser,
}) => {
  const { alice, bob, bobName } = await twoMembersOnAGraph(browser, "Puppy discussion");
  const node = topLogitOf(LONG_GRAPH);
  await expect(alice.getByTestId("presence")).toContainText(bobName);
  await expect(bob.getByTestId("presence")).toContainText("Alice Author");
  await expect(bob.getByTestId("unread-count")).toHaveCount(0);

  // A comments on the node and mentions B through the @ autocomplete.
  await clickNode(alice, node);
  const box = alice.getByRole("textbox", { name: "Start a thread on this node" });
  await box.fill("Why is this logit so likely? cc @Bob");
  await alice.getByRole("option", { name: bobName }).click();
  await box.press("End");
  await box.pressSequentially("please look");
  await alice.getByRole("button", { name: "Comment", exact: true }).click();
  const aliceThread = alice.getByTestId("comment-thread");
  await expect(aliceThread).toContainText("Why is this logit so likely?");
  await expect(aliceThread.locator(".mention")).toHaveText(`@${bobName}`);

  // B, without reloading: the unread count and the node's badge.
  await expect(bob.getByTestId("unread-count")).toHaveText("1");
  await expect(bob.getByTestId("comment-badges")).toHaveAttribute("data-badges", `${node}:1`);
  await expect(alice.getByTestId("comment-badges")).toHaveAttribute("data-badges", `${node}:1`);

  // B's "commented nodes" filter dims every node without a thread, and only while it is on.
  const other = otherLogitOf(LONG_GRAPH, node);
  await bob.getByLabel("Dim nodes without comments").check();
  await expect.poll(() => isFaded(bob, other)).toBe(true);
  expect(await isFaded(bob, node)).toBe(false);
  await bob.getByLabel("Dim nodes without comments").uncheck();
  await expect.poll(() => isFaded(bob, other)).toBe(false);

  // B opens the notification: the graph, with the node selected and the thread open.
  await bob.getByTestId("notification-bell").click();
  await expect(bob.getByTestId("notification")).toContainText("Alice Author mentioned you");
  await bob.getByTestId("notification").getByRole("link").click();
  await waitForViewer(bob);
  await expect(bob).toHaveURL(new RegExp(`clickedId=${node}`));
  await expect(bob.getByText(`On node ${node}`)).toBeVisible();
  const bobThread = bob.locator('[data-testid="comment-thread"][data-highlighted="true"]');
  await expect(bobThread).toContainText("Why is this logit so likely?");
  await expect(bob.getByTestId("unread-count")).toHaveCount(0);
  await bobThread.getByRole("textbox", { name: "Reply" }).fill("Because of the **dog** features");
  await bobThread.getByRole("button", { name: "Reply", exact: true }).click();

  // A sees the reply live, then resolves; the badge clears for both.
  await expect(aliceThread.getByTestId("comment")).toHaveCount(2);
  await expect(aliceThread.getByTestId("comment").nth(1).locator("strong").last()).toHaveText("dog");
  await aliceThread.getByRole("button", { name: "Resolve" }).click();
  await expect(alice.getByTestId("comment-badges")).toHaveAttribute("data-badges", "");
  await expect(bob.getByTestId("comment-badges")).toHaveAttribute("data-badges", "");
  await expect(bob.getByTestId("thread-status")).toHaveText("resolved by Alice Author");
  // The resolve notifies nobody (Alice started the thread); her one unread entry is Bob's reply.
  await expect(alice.getByTestId("unread-count")).toHaveText("1"); // Bob's reply in Alice's thread

  // "Comment on this node" from the connections list: selects that input and focuses the new-thread box.
  const commentRow = alice
    .getByTestId("connections-inputs")
    .getByRole("button", { name: /^Comment on node / })
    .first();
  const target = (await commentRow.getAttribute("aria-label"))!.replace("Comment on node ", "");
  await commentRow.click();
  await expect(alice.getByText(`On node ${target}`)).toBeVisible();
  await expect(alice.getByRole("textbox", { name: "Start a thread on this node" })).toBeFocused();
});
