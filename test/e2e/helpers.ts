/**
 * What the end-to-end specs share: the carried graph files, and fresh accounts made the way a person makes
 * one: sign up, open the verification mail in the dev outbox (DATA_DIR/outbox of the server under test:
 * real .eml files, no back door), follow its link, and sign in.
 */
import { expect, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { CARRIED, carriedPath } from "../fixtures";
import { linkMailedTo } from "../integration/helpers/outbox";

/** The demo worker's 60-token graph (492 nodes, 32,276 links): large enough that the viewer caps its links. */
export const LONG_GRAPH = carriedPath(CARRIED.demoLong);
/** A small file with its own saved subgraph (6 pins, 2 supernodes) in qParams. */
export const SAVED_SUBGRAPH_GRAPH = carriedPath(CARRIED.neuronpediaFeatured);

/** The server's dev outbox (playwright.config.ts runs it with DATA_DIR = E2E_DATA_DIR). */
export const OUTBOX = join(process.env.E2E_DATA_DIR!, "outbox");
export const PASSWORD = "a long test password";

export const stamp = () => randomBytes(3).toString("hex");

/** The newest link to `pathPrefix` ("/verify/", "/reset/", "/invite/") mailed to `email`. */
export function mailedLink(email: string, pathPrefix: string, atLeast = 1): Promise<string> {
  return linkMailedTo(OUTBOX, email, pathPrefix, atLeast);
}

/** Opens the verification mail's link and confirms; the address is verified afterwards. */
export async function verifyThroughOutbox(page: Page, email: string) {
  await page.goto(await mailedLink(email, "/verify/"));
  await page.getByRole("button", { name: "Verify my address" }).click();
  await expect(page.getByRole("status")).toContainText("is verified");
}

export async function signIn(page: Page, email: string, password = PASSWORD, callbackUrl = "/workspaces") {
  await page.goto(`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  await page.waitForLoadState("networkidle"); // the form submits through next-auth once hydrated
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/signin"));
}

/**
 * Fills the sign-up form on the current page and submits it, verifies the address through the outbox
 * (unless `isVerified: false`), and signs in, landing where the sign-up page's callbackUrl pointed.
 */
export async function signUp(
  page: Page,
  name: string,
  email = `${name.toLowerCase().replace(/\W+/g, "-")}-${stamp()}@example.test`,
  { isVerified = true }: { isVerified?: boolean } = {},
) {
  await page.getByRole("button", { name: "Create account" }).waitFor(); // on the sign-up page, not on its way
  await page.waitForLoadState("networkidle");
  const callbackUrl = new URL(page.url()).searchParams.get("callbackUrl") ?? "/workspaces";
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel(/^Password/).fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Check your mail" })).toBeVisible();
  if (isVerified) await verifyThroughOutbox(page, email);
  await signIn(page, email, PASSWORD, callbackUrl);
  return email;
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
