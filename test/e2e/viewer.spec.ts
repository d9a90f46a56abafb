/**
 * The graph viewer in a real browser against the real server: import a fixture through the workspace page,
 * open it, click the most probable logit on the canvas, read its strongest input in the connections panel
 * (checked against the file itself), pin three nodes, group two into a supernode, save the subgraph, reload
 * the short ?s= link and find the same view. And the refusals: a private graph's page and body are 404 for
 * outsiders and signed-out visitors.
 */
import { expect, test, type Page } from "@playwright/test";
import { LONG_GRAPH, SAVED_SUBGRAPH_GRAPH, signUpWithWorkspace } from "./helpers";
import { readFileSync } from "node:fs";

interface TFileNode {
  node_id: string;
  feature_type: string;
  token_prob?: number;
  clerp?: string;
}
interface TFileGraph {
  nodes: TFileNode[];
  links: { source: string; target: string; weight: number }[];
}

/** What the file says: the most probable logit and, among the links into it, the one with the largest weight. */
function expectationsFrom(path: string) {
  const file = JSON.parse(readFileSync(path, "utf8")) as TFileGraph;
  const logits = file.nodes.filter((n) => n.feature_type === "logit");
  const topLogit = logits.reduce((best, n) => ((n.token_prob ?? 0) > (best.token_prob ?? 0) ? n : best));
  const inputs = file.links.filter((l) => l.target === topLogit.node_id).sort((a, b) => b.weight - a.weight);
  return { topLogit, inputs: inputs.map((l) => l.source) };
}

/** Uncaught errors of the page, to assert there were none. */
function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

async function waitForViewer(page: Page) {
  await expect(page.getByTestId("graph-viewer")).toHaveAttribute("data-ready", "true", { timeout: 30_000 });
}

/** Clicks a node where sigma draws it (the viewer exposes node positions for tests and benchmarks). */
async function clickNode(page: Page, nodeId: string, modifier?: "Control") {
  const position = await page.evaluate((id) => window.__circuitboardViewer?.positionOf(id) ?? null, nodeId);
  expect(position, `node ${nodeId} is drawn`).not.toBeNull();
  const box = (await page.getByTestId("graph-canvas").boundingBox())!;
  if (modifier) await page.keyboard.down(modifier);
  await page.mouse.click(box.x + position!.x, box.y + position!.y);
  if (modifier) await page.keyboard.up(modifier);
}

const firstInput = (page: Page) => page.getByTestId("connections-inputs").locator("button[data-node-id]").first();
const pinnedRow = (page: Page, nodeId: string) =>
  page.getByTestId("subgraph-panel").locator(`li[data-node-id="${nodeId}"]`);

test("[VIEWER] click the top logit, check its strongest input, pin, group, save, reload the ?s= link", async ({
  page,
}) => {
  const { topLogit, inputs } = expectationsFrom(LONG_GRAPH);
  const [strongest] = inputs;
  const errors = pageErrors(page);

  await signUpWithWorkspace(page, "Viewer Owner");
  await page.getByLabel("Title (optional)").fill("Puppy viewer");
  await page.getByLabel("Graph file", { exact: true }).setInputFiles(LONG_GRAPH);
  await expect(page.getByRole("status")).toContainText("Imported Puppy viewer");
  await page.getByRole("link", { name: "Puppy viewer" }).first().click();
  await expect(page.getByRole("heading", { name: "Puppy viewer" })).toBeVisible();
  await waitForViewer(page);
  await expect(page.getByTestId("links-note")).toContainText("strongest");

  await clickNode(page, topLogit.node_id);
  await expect(page.getByTestId("feature-label")).toHaveText(topLogit.clerp!);
  await expect(firstInput(page)).toHaveAttribute("data-node-id", strongest!);
  await expect(page).toHaveURL(new RegExp(`clickedId=${topLogit.node_id}`));

  // Pin three: the logit on the canvas, the two strongest inputs from the connections panel.
  await clickNode(page, topLogit.node_id, "Control");
  const inputsList = page.getByTestId("connections-inputs");
  const second = await inputsList.locator("button[data-node-id]").nth(1).getAttribute("data-node-id");
  await inputsList
    .locator(`button[data-node-id="${strongest}"]`)
    .first()
    .click({ modifiers: ["Control"] });
  await inputsList
    .locator(`button[data-node-id="${second}"]`)
    .first()
    .click({ modifiers: ["Control"] });
  for (const id of [topLogit.node_id, strongest!, second!]) await expect(pinnedRow(page, id)).toHaveCount(1);
  await expect(page.getByTestId("feature-label")).toHaveText(topLogit.clerp!); // pinning does not change the selection

  // Group the two inputs into a supernode.
  await pinnedRow(page, strongest!).getByRole("checkbox").check();
  await pinnedRow(page, second!).getByRole("checkbox").check();
  await page.getByLabel("Supernode name", { exact: true }).fill("puppy drivers");
  await page.getByRole("button", { name: "Group 2 selected" }).click();
  const supernode = page.getByTestId("supernode");
  await expect(supernode).toHaveCount(1);
  await expect(supernode.getByRole("textbox")).toHaveValue("puppy drivers");
  await expect(supernode.locator("li[data-node-id]")).toHaveCount(2);

  await page.getByLabel("Subgraph name").fill("Puppy: top logit and its drivers");
  await page.getByRole("button", { name: "Save subgraph" }).click();
  await expect(page.getByText("Saved “Puppy: top logit and its drivers”.")).toBeVisible();
  await expect(page).toHaveURL(/\/g\/[^?]+\?s=[\w-]+$/);

  await page.reload();
  await waitForViewer(page);
  await expect(page.getByTestId("subgraph-name")).toHaveText("subgraph: Puppy: top logit and its drivers");
  await expect(page.getByTestId("feature-label")).toHaveText(topLogit.clerp!);
  await expect(firstInput(page)).toHaveAttribute("data-node-id", strongest!);
  await expect(page.getByTestId("subgraph-panel").locator("li[data-node-id]")).toHaveCount(3);
  await expect(pinnedRow(page, topLogit.node_id)).toHaveCount(1);
  await expect(supernode.getByRole("textbox")).toHaveValue("puppy drivers");
  await expect(supernode.locator(`li[data-node-id="${strongest}"]`)).toHaveCount(1);
  await expect(supernode.locator(`li[data-node-id="${second}"]`)).toHaveCount(1);
  await expect(page.getByRole("list", { name: "Saved subgraphs" })).toContainText("Puppy: top logit and its drivers");
  expect(errors).toEqual([]);
});

/** The neighbour an arrow key walks to, from the file: largest |weight| (first link on ties), self-links aside. */
function strongestByMagnitude(path: string, nodeId: string, direction: "inputs" | "outputs"): string {
  const file = JSON.parse(readFileSync(path, "utf8")) as TFileGraph;
  const [mine, other] = direction === "inputs" ? (["target", "source"] as const) : (["source", "target"] as const);
  const links = file.links.filter((l) => l[mine] === nodeId && l[other] !== nodeId);
  return links.reduce((best, l) => (Math.abs(l.weight) > Math.abs(best.weight) ? l : best))[other];
}

test("[VIEWER] keyboard: ↓ walks to the strongest input, ↑ to the strongest output, Esc clears, / searches", async ({
  page,
}) => {
  const { topLogit } = expectationsFrom(LONG_GRAPH);
  const slug = await signUpWithWorkspace(page, "Keyboard Walker");
  const res = await page.request.post(`/api/workspaces/${slug}/graphs?title=Puppy%20keys`, {
    data: readFileSync(LONG_GRAPH),
  });
  const { id } = (await res.json()) as { id: string };
  await page.goto(`/g/${id}?clickedId=${topLogit.node_id}&pruningThreshold=1`);
  await waitForViewer(page);
  await expect(page.getByTestId("keyboard-help")).toContainText("↓/← strongest input");

  const input = strongestByMagnitude(LONG_GRAPH, topLogit.node_id, "inputs");
  await page.getByRole("region", { name: /^Attribution graph/ }).focus();
  await page.keyboard.press("ArrowDown");
  await expect(page).toHaveURL(new RegExp(`clickedId=${input}(&|$)`));
  await page.keyboard.press("ArrowUp");
  await expect(page).toHaveURL(new RegExp(`clickedId=${strongestByMagnitude(LONG_GRAPH, input, "outputs")}(&|$)`));
  // Esc first closes the open Share menu, then clears the selection.
  const share = page.locator("details", { has: page.getByText("Share", { exact: true }) });
  await share.getByText("Share", { exact: true }).click();
  await expect(share).toHaveAttribute("open", "");
  await page.keyboard.press("Escape");
  await expect(share).not.toHaveAttribute("open", "");
  await expect(page).toHaveURL(/clickedId=/);
  await page.keyboard.press("Escape");
  await expect(page).not.toHaveURL(/clickedId=/);
  await page.keyboard.press("/");
  await expect(page.getByPlaceholder("label, node id or token")).toBeFocused();
});

test("[VIEWER] Neuronpedia URL keys open a view; search says when a hit is hidden by the threshold", async ({
  page,
}) => {
  const { topLogit, inputs } = expectationsFrom(LONG_GRAPH);
  const errors = pageErrors(page);
  const slug = await signUpWithWorkspace(page, "Link Reader");
  const res = await page.request.post(`/api/workspaces/${slug}/graphs?title=Puppy%20links`, {
    data: readFileSync(LONG_GRAPH),
  });
  expect(res.status()).toBe(201);
  const { id } = (await res.json()) as { id: string };

  const supernodes = JSON.stringify([["drivers", inputs[0], inputs[1]]]);
  const query = new URLSearchParams({
    pinnedIds: [inputs[0], inputs[1]].join(","),
    supernodes,
    clickedId: topLogit.node_id,
    pruningThreshold: "0.3",
  });
  await page.goto(`/g/${id}?${query}`);
  await waitForViewer(page);
  await expect(page.getByTestId("feature-label")).toHaveText(topLogit.clerp!);
  await expect(page.getByTestId("supernode").getByRole("textbox")).toHaveValue("drivers");
  await expect(page.getByRole("slider")).toHaveValue("0.3");

  // A node above the 0.3 threshold: found by its id, and the viewer says why it is not drawn.
  const file = JSON.parse(readFileSync(LONG_GRAPH, "utf8")) as {
    nodes: { node_id: string; influence: number | null; feature_type: string }[];
  };
  const pruned = file.nodes.find((n) => n.feature_type === "cross layer transcoder" && (n.influence ?? 0) > 0.5)!;
  await page.getByRole("combobox", { name: "Search" }).fill(pruned.node_id);
  await expect(page.getByRole("listbox", { name: "Search results" })).toContainText("hidden by threshold");
  await page.getByRole("combobox", { name: "Search" }).press("Enter");
  await expect(page.getByTestId("pruned-notice")).toContainText("hidden by the pruning threshold");
  await page.getByTestId("pruned-notice").getByRole("button").click();
  await expect(page.getByTestId("pruned-notice")).toHaveCount(0);

  // Another drawn link set (sigma gets a new graph), then the view as a PNG.
  await page.getByLabel("Links drawn").selectOption({ label: "strongest 20,000" });
  await expect(page.getByTestId("links-note")).toContainText("Drawing the 20,000 strongest of 32,276 links");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export PNG" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("Puppy_links.png");
  const png = readFileSync((await download.path())!);
  expect(png.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
  expect(png.byteLength).toBeGreaterThan(10_000);
  expect(errors).toEqual([]);
});

test("[VIEWER] a file's own saved subgraph (qParams: 6 pins, 2 supernodes) opens with the graph", async ({ page }) => {
  const errors = pageErrors(page);
  const path = SAVED_SUBGRAPH_GRAPH;
  const slug = await signUpWithWorkspace(page, "Qparams Reader");
  const res = await page.request.post(`/api/workspaces/${slug}/graphs?title=Small%20big`, { data: readFileSync(path) });
  const { id } = (await res.json()) as { id: string };
  await page.goto(`/g/${id}`);
  await waitForViewer(page);
  await expect(page.getByTestId("subgraph-panel").locator("li[data-node-id]")).toHaveCount(6);
  await expect(page.getByTestId("supernode")).toHaveCount(2);
  await expect(page.getByTestId("supernode").first().getByRole("textbox")).not.toHaveValue("");
  expect(errors).toEqual([]);
});

test("[VIEWER] a private graph's page and data are 404 for a non-member and for a signed-out visitor; unlisted opens for both", async ({
  browser,
}) => {
  const owner = await (await browser.newContext()).newPage();
  const slug = await signUpWithWorkspace(owner, "Private Owner");
  const res = await owner.request.post(`/api/workspaces/${slug}/graphs?title=Secret`, {
    data: readFileSync(LONG_GRAPH),
  });
  expect(res.status()).toBe(201);
  const { id, visibility } = (await res.json()) as { id: string; visibility: string };
  expect(visibility).toBe("private");
  expect((await owner.goto(`/g/${id}`))!.status()).toBe(200);

  const outsider = await (await browser.newContext()).newPage();
  await signUpWithWorkspace(outsider, "Outsider");
  const anonymous = await (await browser.newContext()).newPage();
  for (const visitor of [outsider, anonymous]) {
    const page = await visitor.goto(`/g/${id}`);
    expect(page!.status()).toBe(404);
    await expect(visitor.getByText("Secret")).toHaveCount(0);
    expect((await visitor.request.get(`/api/graphs/${id}/data`)).status()).toBe(404);
  }

  // Made unlisted, the link opens for anyone holding it; saving subgraphs stays with the workspace's editors.
  const update = await owner.request.post("/api/trpc/graph.update", {
    data: { json: { graphId: id, visibility: "unlisted" } },
  });
  expect(update.status()).toBe(200);
  for (const visitor of [outsider, anonymous]) {
    expect((await visitor.goto(`/g/${id}`))!.status()).toBe(200);
    await waitForViewer(visitor);
    await expect(visitor.getByRole("form", { name: "Save subgraph" })).toHaveCount(0);
    await expect(visitor.getByTestId("subgraph-panel")).toContainText(/editor/);
  }
});

// Counts what the viewer allocates that outlives a page if not released: WebGL contexts and workers.
const PROBE = `
window.__cbProbe = { contexts: [], workers: 0, terminated: 0 };
const getContext = HTMLCanvasElement.prototype.getContext;
HTMLCanvasElement.prototype.getContext = function (type, ...rest) {
  const context = getContext.call(this, type, ...rest);
  if (context && String(type).startsWith("webgl")) window.__cbProbe.contexts.push(context);
  return context;
};
const NativeWorker = window.Worker;
window.Worker = class extends NativeWorker {
  constructor(...args) { super(...args); window.__cbProbe.workers += 1; }
  terminate() { window.__cbProbe.terminated += 1; super.terminate(); }
};
`;

test("[VIEWER] leaving the viewer releases sigma's WebGL contexts and canvases, the parsing worker and the test hook", async ({
  page,
}) => {
  await page.addInitScript({ content: PROBE });
  const slug = await signUpWithWorkspace(page, "Leaver");
  const res = await page.request.post(`/api/workspaces/${slug}/graphs?title=Leave%20me`, {
    data: readFileSync(LONG_GRAPH),
  });
  const { id } = (await res.json()) as { id: string };
  await page.goto(`/g/${id}`);
  await waitForViewer(page);
  const during = await page.evaluate(() => {
    const probe = (window as unknown as { __cbProbe: { contexts: WebGLRenderingContext[]; workers: number } })
      .__cbProbe;
    return {
      contexts: probe.contexts.length,
      workers: probe.workers,
      canvases: document.querySelectorAll("canvas").length,
    };
  });
  expect(during.contexts).toBeGreaterThan(0);
  expect(during.workers).toBe(1);
  expect(during.canvases).toBeGreaterThan(0);

  await page.getByRole("link", { name: "Workspaces" }).click(); // client-side navigation: same document
  await expect(page.getByRole("heading", { name: "Workspaces" })).toBeVisible();
  const after = await page.evaluate(() => {
    const probe = (
      window as unknown as { __cbProbe: { contexts: WebGLRenderingContext[]; workers: number; terminated: number } }
    ).__cbProbe;
    return {
      lost: probe.contexts.filter((c) => c.isContextLost()).length,
      contexts: probe.contexts.length,
      live: probe.workers - Math.min(probe.workers, probe.terminated),
      canvases: document.querySelectorAll("canvas").length,
      hook: (window as unknown as { __circuitboardViewer?: unknown }).__circuitboardViewer === undefined,
    };
  });
  expect(after).toEqual({ lost: after.contexts, contexts: after.contexts, live: 0, canvases: 0, hook: true });
});
