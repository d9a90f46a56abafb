/**
 * Embeds: /embed/g/:id renders inside an <iframe> of a page served cross-site by the test (127.0.0.1 frames
 * localhost), while the full viewer page refuses to be framed (frame-ancestors 'none', the front server's
 * framing registry); a private graph's embed is the 404 page even for a signed-in member, and an unlisted
 * graph's embed shows its subgraph without any account.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { CARRIED, carriedPath } from "../fixtures";
import { signUpWithWorkspace } from "./helpers";

// The demo worker's own graph, carried in the repository (features, errors, logits, Cantor feature ids).
const MEOW = carriedPath(CARRIED.demoBegat);

let host: Server;
let hostUrl = "";
let framed: { embed: string; page: string } = { embed: "", page: "" };

test.beforeAll(async () => {
  host = createServer((_req, res) => {
    res.setHeader("content-type", "text/html");
    res.end(
      `<!doctype html><title>host</title><iframe id="embed" src="${framed.embed}" width="900" height="600"></iframe>` +
        `<iframe id="page" src="${framed.page}" width="900" height="600"></iframe>`,
    );
  });
  await new Promise<void>((resolve) => host.listen(0, "127.0.0.1", resolve));
  hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}/`;
});
test.afterAll(() => new Promise<void>((resolve) => host.close(() => resolve())));

test("[EMBED] an unlisted graph embeds cross-site; the viewer page refuses framing; a private embed is 404", async ({
  page,
  baseURL,
}) => {
  const slug = await signUpWithWorkspace(page, "Embed Owner");
  const upload = async (title: string) => {
    const res = await page.request.post(`/api/workspaces/${slug}/graphs?title=${encodeURIComponent(title)}`, {
      data: readFileSync(MEOW),
    });
    expect(res.status()).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };
  const privateId = await upload("Private meow");
  const unlistedId = await upload("Unlisted meow");
  await page.goto(`/g/${unlistedId}`);
  await page.getByText("Graph settings").click();
  await page.getByLabel("Visibility").selectOption("unlisted");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.locator(".badge", { hasText: "unlisted" })).toBeVisible();

  // The share menu offers the snippet for the unlisted graph.
  await page.getByText("Share", { exact: true }).click();
  await expect(page.getByTestId("embed-snippet")).toHaveValue(new RegExp(`/embed/g/${unlistedId}`));

  // Signed in as the owner, the private graph's embed is still the 404 page.
  const refused = await page.goto(`/embed/g/${privateId}`);
  expect(refused?.status()).toBe(404);

  framed = { embed: `${baseURL}/embed/g/${unlistedId}`, page: `${baseURL}/g/${unlistedId}` };
  await page.goto(hostUrl);
  const embed = page.frameLocator("#embed");
  await expect(embed.getByTestId("embed")).toBeVisible({ timeout: 30_000 });
  await expect(embed.getByTestId("graph-viewer")).toHaveAttribute("data-ready", "true", { timeout: 30_000 });
  await expect(embed.locator("header.site")).toBeHidden();
  // The full page in a frame is blocked by the browser (frame-ancestors 'none'): its document never loads.
  await expect(page.frameLocator("#page").getByTestId("graph-viewer")).toHaveCount(0, { timeout: 5_000 });
  const pageFrame = page.frames().find((f) => f.url().startsWith(`${baseURL}/g/`));
  if (pageFrame) expect(await pageFrame.locator("[data-testid=graph-viewer]").count()).toBe(0);
  // And the header that says so, on the full page but not on the embed.
  const full = await page.request.get(`/g/${unlistedId}`);
  expect(full.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  const embedded = await page.request.get(`/embed/g/${unlistedId}`);
  expect(embedded.status()).toBe(200);
  expect(embedded.headers()["content-security-policy"]).not.toContain("frame-ancestors 'none'");
});
