/**
 * Importing graphs as users do: drag-and-drop / file picker in the workspace with a progress bar,
 * the API with a personal key, and the refusals (bad file, outsider).
 */
import { expect, test } from "@playwright/test";
import { LONG_GRAPH, signUpWithWorkspace } from "./helpers";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

test("[GRAPHS] upload through the workspace page, find it by search; a bad file names the problem", async ({
  page,
}) => {
  await signUpWithWorkspace(page, "Uploader");
  await page.getByLabel("Title (optional)").fill("Genesis circuit");
  await page.getByLabel("Graph file", { exact: true }).setInputFiles(LONG_GRAPH);
  await expect(page.getByRole("status")).toContainText("Imported Genesis circuit");
  const row = page.getByRole("table", { name: "Graphs" }).getByRole("row", { name: /Genesis circuit/ });
  await expect(row).toContainText("492");
  await expect(row).toContainText("32,276");
  await expect(row).toContainText("private");

  await page.getByLabel("Search title or prompt").fill("DARKNESS");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByRole("table", { name: "Graphs" }).getByRole("row")).toHaveCount(2); // header + one
  await page.getByLabel("Search title or prompt").fill("no such graph anywhere");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText("No graph matches")).toBeVisible();

  const broken = JSON.parse(readFileSync(LONG_GRAPH, "utf8"));
  broken.links[7].weight = "heavy";
  await page
    .getByLabel("Graph file", { exact: true })
    .setInputFiles({ name: "broken.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(broken)) });
  await expect(page.getByRole("alert").filter({ hasText: "Not a readable graph file" })).toContainText(
    "$.links[7].weight",
  );
});

test("[GRAPHS] the API imports with a personal key; outsiders get 404 for the private graph and its data", async ({
  browser,
  playwright,
  baseURL,
}) => {
  const ownerPage = await (await browser.newContext()).newPage();
  const slug = await signUpWithWorkspace(ownerPage, "Api Owner");
  await ownerPage.goto("/settings");
  await ownerPage.getByLabel("Key name").fill("importer");
  await ownerPage.getByRole("button", { name: "Create key" }).click();
  const key = (await ownerPage.getByTestId("new-api-key").textContent())!.trim();

  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${key}` } });
  const res = await api.post(`/api/workspaces/${slug}/graphs?title=From%20the%20API`, {
    data: readFileSync(LONG_GRAPH),
    headers: { "content-type": "application/json" },
  });
  expect(res.status()).toBe(201);
  const created = await res.json();
  expect(created).toMatchObject({ title: "From the API", nodeCount: 492, linkCount: 32276, url: `/g/${created.id}` });
  const data = await api.get(`/api/graphs/${created.id}/data`);
  expect(data.status()).toBe(200);
  expect((await data.json()).nodes.length).toBe(492);
  const gz = await api.get(`/api/graphs/${created.id}/data`, { headers: { accept: "application/gzip" } });
  expect(gz.headers()["content-type"]).toBe("application/gzip");
  expect(JSON.parse(gunzipSync(await gz.body()).toString("utf8")).links.length).toBe(32276);
  const bad = await api.post(`/api/workspaces/${slug}/graphs`, {
    data: Buffer.from('{"nodes": ['),
    headers: { "content-type": "application/json" },
  });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error.message).toMatch(/Invalid JSON/);

  const outsider = await (await browser.newContext()).newPage();
  await signUpWithWorkspace(outsider, "Outsider");
  expect((await outsider.request.get(`/api/graphs/${created.id}/data`)).status()).toBe(404);
  expect((await outsider.request.get(`/api/graphs/${created.id}/export`)).status()).toBe(404);
  expect(
    (await outsider.request.post(`/api/workspaces/${slug}/graphs`, { data: readFileSync(LONG_GRAPH) })).status(),
  ).toBe(404);
  const anonymous = await playwright.request.newContext({ baseURL });
  expect((await anonymous.get(`/api/graphs/${created.id}/data`)).status()).toBe(404);
  await api.dispose();
  await anonymous.dispose();
});
