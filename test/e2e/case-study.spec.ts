/**
 * Case studies end to end: an editor writes a 3-step case study over two graphs, capturing three different
 * views from the viewer, and publishes it unlisted; a signed-out browser opens the link, scrolls, and at each
 * step the expected nodes are pinned and selected and the camera matches (read through the viewer's test
 * hook); the #step-N deep link and ←/→ work; the embed renders in an iframe of a page on another origin.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { CARRIED, carriedPath } from "../fixtures";
import { signUpWithWorkspace } from "./helpers";

type TCamera = { x: number; y: number; ratio: number };

let host: Server;
let hostUrl = "";
let embedSrc = "";

test.beforeAll(async () => {
  host = createServer((_req, res) => {
    res.setHeader("content-type", "text/html");
    res.end(
      `<!doctype html><title>host</title><iframe id="embed" src="${embedSrc}" width="1000" height="700"></iframe>`,
    );
  });
  await new Promise<void>((resolve) => host.listen(0, "127.0.0.1", resolve));
  hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}/`;
});
test.afterAll(() => new Promise<void>((resolve) => host.close(() => resolve())));

const hook = {
  camera: (page: Page) => page.evaluate(() => window.__circuitboardViewer!.camera()),
  pinned: (page: Page) => page.evaluate(() => window.__circuitboardViewer!.pinnedIds()),
  clicked: (page: Page) => page.evaluate(() => window.__circuitboardViewer!.clickedId()),
};

/** Opens a view of a graph, moves the camera, captures it into the (only) draft study; returns its camera. */
async function captureView(page: Page, graphId: string, query: string, zoom: "in" | "out" | "none") {
  await page.goto(`/g/${graphId}?${query}`);
  await expect(page.getByTestId("graph-viewer")).toHaveAttribute("data-ready", "true", { timeout: 30_000 });
  if (zoom !== "none") {
    const before = await hook.camera(page);
    await page.getByRole("button", { name: zoom === "in" ? "Zoom in" : "Zoom out" }).click();
    await expect.poll(async () => (await hook.camera(page)).ratio).not.toBe(before.ratio);
    // The zoom animates: wait until two reads a moment apart agree.
    await expect
      .poll(async () => {
        const a = (await hook.camera(page)).ratio;
        await page.waitForTimeout(250);
        return a === (await hook.camera(page)).ratio;
      })
      .toBe(true);
  }
  await page.getByText("Capture for a case study").click();
  await page.getByRole("button", { name: "Capture current view" }).click();
  await expect(page.getByText("Captured as a new step.")).toBeVisible();
  return hook.camera(page);
}

function expectCamera(actual: TCamera, expected: TCamera) {
  expect(actual.x).toBeCloseTo(expected.x, 3);
  expect(actual.y).toBeCloseTo(expected.y, 3);
  expect(actual.ratio).toBeCloseTo(expected.ratio, 3);
}

test("[STUDY] author three steps over two graphs, publish unlisted, read signed out, deep link, embed", async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const slug = await signUpWithWorkspace(page, "Study Author");
  const upload = async (title: string, file: string) => {
    const res = await page.request.post(`/api/workspaces/${slug}/graphs?title=${encodeURIComponent(title)}`, {
      data: readFileSync(carriedPath(file)),
    });
    expect(res.status()).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };
  const begat = await upload("Begat", CARRIED.demoBegat);
  const genesis = await upload("Genesis", CARRIED.demoGenesis);

  await page.goto(`/w/${slug}/studies`);
  await page.waitForLoadState("networkidle");
  await page.getByLabel("Title").fill("Induction in begat");
  await page.getByRole("button", { name: "New case study" }).click();
  await page.waitForURL(/\/studies\/[^/]+$/);
  const editorUrl = page.url();

  const expected = [
    {
      pinned: ["0_378_5", "0_765_9"],
      clicked: "0_378_5",
      camera: await captureView(page, begat, "pinnedIds=0_378_5,0_765_9&clickedId=0_378_5", "in"),
    },
    {
      pinned: ["0_1176_9"],
      clicked: "0_1176_9",
      camera: await captureView(page, begat, "pinnedIds=0_1176_9&clickedId=0_1176_9", "out"),
    },
    {
      pinned: ["0_856_4", "0_373_7"],
      clicked: "0_373_7",
      camera: await captureView(page, genesis, "pinnedIds=0_856_4,0_373_7&clickedId=0_373_7", "none"),
    },
  ];
  expect(expected[0]!.camera.ratio).not.toBeCloseTo(expected[1]!.camera.ratio, 2);

  await page.goto(editorUrl);
  await expect(page.getByTestId("study-step")).toHaveCount(3);
  for (const [i, text] of ["The **first** pair", "One feature alone", "The counterfactual prompt"].entries()) {
    await page.getByLabel(`Prose of step ${i + 1}`).fill(text);
    await expect(page.getByTestId("step-autosave").nth(i)).toHaveText("Saved");
  }
  await page.getByLabel("Visibility when published").selectOption("unlisted");
  await expect(page.getByTestId("autosave")).toHaveText("Saved");
  await page.getByRole("button", { name: "Publish…" }).click();
  const confirmation = page.getByTestId("publish-confirmation");
  await expect(confirmation).toContainText("unlisted");
  await expect(confirmation).toContainText("“Begat”");
  await expect(confirmation).toContainText("“Genesis”");
  await page.getByRole("button", { name: "Confirm and publish" }).click();
  await expect(page.getByText("Published version 1.")).toBeVisible();
  const link = await page.getByTestId("study-link").inputValue();
  await expect(page.getByTestId("study-embed-snippet")).toHaveValue(/\/embed\/s\//);

  // Signed out: a fresh context with no cookies.
  const reader = await (await browser.newContext()).newPage();
  await reader.goto(link);
  const root = reader.getByTestId("case-study-reader");
  // Open Graph: title, and the cover PNG captured in the author's browser, readable signed out.
  await expect(reader.locator('meta[property="og:title"]')).toHaveAttribute("content", "Induction in begat");
  const cover = await reader.locator('meta[property="og:image"]').getAttribute("content");
  const coverResponse = await reader.request.get(new URL(cover!).pathname);
  expect(coverResponse.status()).toBe(200);
  expect(coverResponse.headers()["content-type"]).toBe("image/png");
  await expect(root.locator("#step-1 strong")).toHaveText("first");
  for (const [i, want] of expected.entries()) {
    await reader.locator(`#step-${i + 1}`).evaluate((el) => el.scrollIntoView({ block: "center" }));
    await expect(root).toHaveAttribute("data-active-step", String(i + 1));
    await expect(root).toHaveAttribute("data-applied-step", String(i + 1), { timeout: 30_000 });
    expect(await hook.pinned(reader)).toEqual(want.pinned);
    expect(await hook.clicked(reader)).toBe(want.clicked);
    expectCamera(await hook.camera(reader), want.camera);
  }
  await reader.keyboard.press("ArrowLeft");
  await expect(root).toHaveAttribute("data-applied-step", "2", { timeout: 30_000 });
  expect(await hook.pinned(reader)).toEqual(expected[1]!.pinned);

  // The deep link to a step.
  const deep = await (await browser.newContext()).newPage();
  await deep.goto(`${link}#step-2`);
  const deepRoot = deep.getByTestId("case-study-reader");
  await expect(deepRoot).toHaveAttribute("data-applied-step", "2", { timeout: 30_000 });
  expect(await hook.pinned(deep)).toEqual(expected[1]!.pinned);
  expectCamera(await hook.camera(deep), expected[1]!.camera);

  // The embed, framed by a page of another origin.
  embedSrc = `${baseURL}/embed/s/${link.split("/s/")[1]}`;
  await deep.goto(hostUrl);
  const frame = deep.frameLocator("#embed");
  await expect(frame.getByTestId("case-study-reader")).toBeVisible({ timeout: 30_000 });
  await expect(frame.getByTestId("graph-viewer")).toHaveAttribute("data-ready", "true", { timeout: 30_000 });
  await expect(frame.getByTestId("case-study-reader")).toHaveAttribute("data-applied-step", "1", { timeout: 30_000 });
});
