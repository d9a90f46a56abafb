/**
 * A new user's first minutes, in a real browser against the real server:
 * sign up → create a team workspace → invite by link → a second user (another browser context)
 * signs up through the link, joins as viewer, sees the workspace and cannot rename it.
 */
import { expect, test } from "@playwright/test";
import { signUp, stamp } from "./helpers";

test("[WORKSPACES] a viewer invited by link sees the workspace and cannot rename it", async ({ browser }) => {
  const ownerContext = await browser.newContext();
  const owner = await ownerContext.newPage();
  await owner.goto("/");
  await owner.getByRole("link", { name: "Create an account" }).click();
  await signUp(owner, "Ada Owner", `ada-${stamp()}@example.test`);
  await expect(owner.getByRole("heading", { name: "Workspaces" })).toBeVisible();

  await owner.getByLabel("Workspace name").fill("Circuit club");
  await owner.getByRole("button", { name: "Create workspace" }).click();
  await expect(owner.getByRole("heading", { name: "Circuit club", exact: true })).toBeVisible();
  const workspaceUrl = owner.url();

  await owner.getByLabel("Invite as").selectOption("viewer");
  await owner.getByRole("button", { name: "Create invitation" }).click();
  const link = (await owner.getByTestId("invite-link").textContent())!.trim();
  expect(link).toMatch(/\/invite\/inv_/);

  const viewerContext = await browser.newContext();
  const viewer = await viewerContext.newPage();
  await viewer.goto(link);
  await expect(viewer.getByRole("heading", { name: "Join Circuit club" })).toBeVisible();
  await viewer.getByRole("link", { name: "create an account" }).click();
  await signUp(viewer, "Vic Viewer", `vic-${stamp()}@example.test`);
  await expect(viewer.getByRole("heading", { name: "Join Circuit club" })).toBeVisible();
  await viewer.getByRole("button", { name: "Accept invitation" }).click();

  await expect(viewer.getByRole("heading", { name: "Circuit club", exact: true })).toBeVisible();
  await expect(viewer).toHaveURL(workspaceUrl);
  await expect(viewer.getByLabel("Your role")).toHaveText("viewer");
  await expect(viewer.getByRole("form", { name: "Rename workspace" })).toHaveCount(0);
  await expect(viewer.getByRole("table", { name: "Members" })).toContainText("Ada Owner");

  // The server refuses too, not only the page: a direct rename through the API is FORBIDDEN.
  const slug = workspaceUrl.split("/w/")[1]!;
  const res = await viewer.request.post("/api/trpc/workspace.rename", { data: { json: { slug, name: "Hijacked" } } });
  expect(res.status()).toBe(403);
  await owner.reload();
  await expect(owner.getByRole("heading", { name: "Circuit club", exact: true })).toBeVisible();
  await expect(owner.getByRole("table", { name: "Members" })).toContainText("Vic Viewer");

  await ownerContext.close();
  await viewerContext.close();
});

test("[API KEYS] a personal key works as a Bearer token over HTTP until revoked; bad keys get 401", async ({
  browser,
  playwright,
  baseURL,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/signup");
  await signUp(page, "Key Holder", `keys-${stamp()}@example.test`);
  await expect(page.getByRole("heading", { name: "Workspaces" })).toBeVisible();
  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByLabel("Key name").fill("ci script");
  await page.getByRole("button", { name: "Create key" }).click();
  const key = (await page.getByTestId("new-api-key").textContent())!.trim();

  const api = await playwright.request.newContext({ baseURL });
  const list = (headers: Record<string, string>) => api.get("/api/trpc/workspace.list", { headers });
  const ok = await list({ authorization: `Bearer ${key}` });
  expect(ok.status()).toBe(200);
  expect(JSON.stringify(await ok.json())).toContain("Key Holder's workspace");
  expect((await list({})).status()).toBe(401);
  expect((await list({ authorization: `Bearer ${key}x` })).status()).toBe(401);

  await page.reload();
  await page
    .getByRole("row", { name: /ci script/ })
    .getByRole("button", { name: "Revoke" })
    .click();
  await expect(page.getByRole("row", { name: /ci script/ })).toContainText("revoked");
  expect((await list({ authorization: `Bearer ${key}` })).status()).toBe(401);
  await api.dispose();
  await context.close();
});

test("[AUTH] wrong password shows a clear error; the demo user can sign in", async ({ page }) => {
  await page.goto("/signin");
  await page.getByLabel("Email").fill("demo@circuitboard.local");
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Wrong email or password")).toBeVisible();
  await page.getByLabel("Password").fill("circuitboard-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("link", { name: "Demo workspace" })).toBeVisible();
});
