/**
 * The viewer on a long prompt, as a new user meets it: the demo worker generates a graph for a 60+-token
 * prompt, and the viewer hook (window.__circuitboardViewer.frameStats) says what the frame drew: no two
 * token labels overlap, every logit label is inside the canvas, and the default frame draws only the
 * selection's links (none before a click, at most K per selected node after). Screenshots of it and of a
 * short graph are left in test-results/ to look at. Then the phone width: no sideways page scroll.
 */
import { expect, test, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { CARRIED, carriedPath } from "../fixtures";
import { signUpWithWorkspace } from "./helpers";

// The demo worker's own graph, carried in the repository (features, errors, logits, Cantor feature ids).
const MEOW = carriedPath(CARRIED.demoBegat);

test.setTimeout(300_000);

const LONG_PROMPT =
  "In the beginning God created the heaven and the earth. And the earth was without form, and void; and " +
  "darkness was upon the face of the deep. And the Spirit of God moved upon the face of the waters. And God " +
  "said, Let there be light: and there was light. And God saw the light";

type TBox = readonly (readonly [number, number])[];

/** Separating-axis test for two convex quadrilaterals; touching within `slackPx` is not overlapping. */
function overlaps(a: TBox, b: TBox, slackPx = 0.5): boolean {
  for (const poly of [a, b]) {
    for (let i = 0; i < poly.length; i += 1) {
      const [x1, y1] = poly[i]!;
      const [x2, y2] = poly[(i + 1) % poly.length]!;
      const nx = y2 - y1;
      const ny = x1 - x2;
      const len = Math.hypot(nx, ny) || 1;
      const project = (p: TBox) => p.map(([x, y]) => (x * nx + y * ny) / len);
      const pa = project(a);
      const pb = project(b);
      if (Math.max(...pa) - slackPx <= Math.min(...pb) || Math.max(...pb) - slackPx <= Math.min(...pa)) return false;
    }
  }
  return true;
}

async function signInDemo(page: Page) {
  await page.goto("/signin");
  await page.getByLabel("Email").fill("demo@circuitboard.local");
  await page.getByLabel("Password").fill("circuitboard-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("link", { name: "Demo workspace" }).click();
  await page.waitForURL(/\/w\/demo$/);
}

async function waitForViewer(page: Page) {
  await expect(page.getByTestId("graph-viewer")).toHaveAttribute("data-ready", "true", { timeout: 60_000 });
  await page.waitForFunction(() => (window.__circuitboardViewer?.frameStats().axis.tokens.length ?? 0) > 0);
}

const frame = (page: Page) => page.evaluate(() => window.__circuitboardViewer!.frameStats());

test("[VIEWER] a 60-token generated graph: labels never overlap, logits inside, only selection links", async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await signInDemo(page);
  await page.getByLabel("Prompt", { exact: true }).fill(LONG_PROMPT);
  await page.getByRole("button", { name: "Generate graph" }).click();
  await page.waitForURL(/\/g\/[A-Za-z0-9]+/, { timeout: 180_000 });
  await waitForViewer(page);
  const longUrl = page.url();

  const stats = await frame(page);
  const tokens = await page.evaluate(() => document.querySelectorAll("[data-testid=prompt-tokens] > *").length);
  expect(tokens, "the prompt has at least 60 tokens").toBeGreaterThanOrEqual(60);
  const boxes = stats.axis.tokens;
  expect(boxes.length, "token labels are drawn (thinned, not dropped)").toBeGreaterThan(10);
  const clashes: string[] = [];
  for (let i = 0; i < boxes.length; i += 1)
    for (let j = i + 1; j < boxes.length; j += 1)
      if (overlaps(boxes[i]!.box, boxes[j]!.box)) clashes.push(`${boxes[i]!.text} × ${boxes[j]!.text}`);
  expect(clashes).toEqual([]);
  expect(stats.axis.logits.length, "the top logits are labelled").toBeGreaterThan(0);
  for (const { text, box } of stats.axis.logits) {
    for (const [x, y] of box) {
      expect(x >= 0 && x <= stats.width && y >= 0 && y <= stats.height, `logit label ${text} at ${x},${y}`).toBe(true);
    }
  }
  expect(stats.sigmaEdges, "no whole-graph links in the default mode").toBe(0);
  expect(stats.overlayLinks, "nothing selected, nothing drawn").toBe(0);
  await page.screenshot({ path: test.info().outputPath("long-prompt.png") });

  // Click the most probable logit (rightmost in the logit row): its strongest links only.
  const position = await page.evaluate(() =>
    window.__circuitboardViewer!.positionOfIndex(window.__circuitboardViewer!.frameStats().axis.logits[0]!.node),
  );
  expect(position).not.toBeNull();
  const canvas = (await page.getByTestId("graph-canvas").boundingBox())!;
  await page.mouse.click(canvas.x + position!.x, canvas.y + position!.y);
  await expect(page).toHaveURL(/clickedId=/);
  const clicked = await frame(page);
  expect(clicked.sigmaEdges).toBe(0);
  expect(clicked.overlayLinks).toBeGreaterThan(0);
  expect(clicked.overlayLinks).toBeLessThanOrEqual(2 * 40);
  await page.screenshot({ path: test.info().outputPath("long-prompt-clicked.png") });

  // Today's overview stays one choice away, and measurable.
  await page.goto(`${longUrl.split("?")[0]}?links=strongest-5000`);
  await waitForViewer(page);
  expect((await frame(page)).sigmaEdges).toBeGreaterThan(0);

  // A short seed graph for comparison.
  await page.goto("/w/demo");
  await page
    .getByRole("table", { name: "Graphs" })
    .getByRole("link", { name: /Genesis 1:1/ })
    .first()
    .click();
  await waitForViewer(page);
  await page.screenshot({ path: test.info().outputPath("short-prompt.png") });

  // A phone: no sideways page scroll on the workspace and viewer pages.
  await page.setViewportSize({ width: 390, height: 844 });
  for (const url of ["/w/demo", longUrl]) {
    await page.goto(url);
    if (url !== "/w/demo") await waitForViewer(page);
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth, `${url} at 390 px`).toBeLessThanOrEqual(390);
  }
  await page.screenshot({ path: test.info().outputPath("phone-viewer.png") });
});

test("[VIEWER] a subgraph with 2 supernodes is a diagram; a dragged box keeps its place through save and reload", async ({
  page,
}) => {
  const slug = await signUpWithWorkspace(page, "Diagram Maker");
  const res = await page.request.post(`/api/workspaces/${slug}/graphs?title=Meow%20diagram`, {
    data: readFileSync(MEOW),
  });
  expect(res.status()).toBe(201);
  const { id } = (await res.json()) as { id: string };
  const file = JSON.parse(readFileSync(MEOW, "utf8")) as {
    nodes: { node_id: string; feature_type: string }[];
    links: { source: string; target: string }[];
  };
  const features = new Set(file.nodes.filter((n) => n.feature_type === "cross layer transcoder").map((n) => n.node_id));
  // cats -> dogs through a real feature-to-feature link, so the diagram has an edge to draw.
  const link = file.links.find((l) => features.has(l.source) && features.has(l.target))!;
  const others = [...features].filter((id) => id !== link.source && id !== link.target);
  const [a, b, c, d, e] = [link.source, others[0]!, link.target, others[1]!, others[2]!];
  const query = new URLSearchParams({
    pinnedIds: [a, b, c, d, e].join(","),
    supernodes: JSON.stringify([
      ["cats", a, b],
      ["dogs", c, d],
    ]),
    clerps: JSON.stringify([[e, "my edited label"]]),
  });
  await page.goto(`/g/${id}?${query}`);
  await waitForViewer(page);
  const diagram = page.getByTestId("subgraph-diagram");
  await expect(diagram.locator("[data-group-key]")).toHaveCount(3);
  const cats = diagram.locator('[data-group-key="sn:cats"]');
  await expect(cats).toContainText("2 members");
  await expect(diagram.getByTestId("diagram-edge").first()).toBeAttached();

  // Drag "cats" 120 px across and 60 px up or down.
  await diagram.scrollIntoViewIfNeeded();
  const before = (await cats.boundingBox())!;
  // Towards the middle of the panel, so the box is not stopped by its edge.
  const panel = (await diagram.getByRole("group", { name: "Subgraph diagram" }).boundingBox())!;
  const [cx, cy] = [before.x + before.width / 2, before.y + before.height / 2];
  const dx = cx > panel.x + panel.width / 2 ? -120 : 120;
  const dy = cy > panel.y + panel.height / 2 ? -60 : 60;
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  await page.mouse.move(cx + dx / 2, cy + dy / 2, { steps: 5 });
  await page.mouse.move(cx + dx, cy + dy, { steps: 5 });
  await page.mouse.up();
  const moved = (await cats.boundingBox())!;
  expect(Math.abs(moved.x - before.x - dx)).toBeLessThan(8);
  expect(Math.abs(moved.y - before.y - dy)).toBeLessThan(8);

  // Click a supernode: its members, editable.
  await diagram.locator('[data-group-key="sn:dogs"]').click();
  await expect(page.getByTestId("diagram-members").locator("li")).toHaveCount(2);

  await page.getByLabel("Subgraph name").fill("Cats and dogs");
  await page.getByRole("button", { name: "Save subgraph" }).click();
  await expect(page).toHaveURL(/\?s=[\w-]+$/);
  await page.reload();
  await waitForViewer(page);
  // Same place within the diagram (the page may scroll differently after a reload).
  const again = page.getByTestId("subgraph-diagram");
  await again.scrollIntoViewIfNeeded();
  const panelAgain = (await again.getByRole("group", { name: "Subgraph diagram" }).boundingBox())!;
  const restored = (await again.locator('[data-group-key="sn:cats"]').boundingBox())!;
  expect(Math.abs(restored.x - panelAgain.x - (moved.x - panel.x))).toBeLessThan(3);
  expect(Math.abs(restored.y - panelAgain.y - (moved.y - panel.y))).toBeLessThan(3);

  // The download of this view opens in circuit-tracer: clerps a JSON string keyed by feature, sg_pos, pins.
  const download = await page.request.get(
    await page
      .getByTestId("download-view")
      .getAttribute("href")
      .then((h) => h!),
  );
  expect(download.status()).toBe(200);
  const exported = (await download.json()) as {
    qParams: { clerps: string; sg_pos: string; pinnedIds: string[]; supernodes: string[][] };
    nodes: { node_id: string; feature: number; clerp: string }[];
  };
  const clerps = new Map(JSON.parse(exported.qParams.clerps) as [string, string][]);
  const edited = exported.nodes.find((n) => n.node_id === e)!;
  expect(clerps.get(String(edited.feature))).toBe("my edited label");
  expect(edited.clerp).toBe("my edited label");
  expect(exported.qParams.supernodes).toEqual([
    ["cats", a, b],
    ["dogs", c, d],
  ]);
  expect(exported.qParams.sg_pos.split(" ")).toHaveLength(2 * 3);
  const original = await page.request.get(
    await page
      .getByTestId("download-original")
      .getAttribute("href")
      .then((h) => h!),
  );
  expect(Buffer.compare(Buffer.from(await original.body()), readFileSync(MEOW))).toBe(0);
});
