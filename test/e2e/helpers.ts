/** What the end-to-end specs share: the carried graph files and a fresh account with its own team workspace. */
import { expect, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { CARRIED, carriedPath } from "../fixtures";

/** The demo worker's 60-token graph (492 nodes, 32,276 links): large enough that the viewer caps its links. */
export const LONG_GRAPH = carriedPath(CARRIED.demoLong);
/** A small file with its own saved subgraph (6 pins, 2 supernodes) in qParams. */
export const SAVED_SUBGRAPH_GRAPH = carriedPath(CARRIED.neuronpediaFeatured);

export const stamp = () => randomBytes(3).toString("hex");

/** Fills the sign-up form on the current page and submits it. */
export async function signUp(
  page: Page,
  name: string,
  email = `${name.toLowerCase().replace(/\W+/g, "-")}-${stamp()}@example.test`,
) {
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel(/^Password/).fill("a long test password");
  await page.getByRole("button", { name: "Create account" }).click();
}

/** A new account and a new team workspace; returns the workspace's slug. */
export async function signUpWithWorkspace(page: Page, name: string, workspacePrefix = "Lab") {
  await page.goto("/signup");
  await signUp(page, name);
  await expect(page.getByRole("heading", { name: "Workspaces" })).toBeVisible();
  await page.waitForLoadState("networkidle"); // the form submits through React once hydrated
  const workspace = `${workspacePrefix} ${stamp()}`;
  await page.getByLabel("Workspace name").fill(workspace);
  await page.getByRole("button", { name: "Create workspace" }).click();
  await expect(page.getByRole("heading", { name: workspace })).toBeVisible({ timeout: 30_000 });
  return page.url().split("/w/")[1]!;
}
