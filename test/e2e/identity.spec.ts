/**
 * Identity in a real browser against the real server, with mail read from the server's dev outbox:
 * verification, an email invitation that appears only once its address is verified, password reset by
 * mail, "sign out everywhere" reaching another browser, and answers that do not tell who has an account.
 */
import { expect, test } from "@playwright/test";
import { mailsTo } from "../integration/helpers/outbox";
import {
  mailedLink,
  OUTBOX,
  PASSWORD,
  signIn,
  signUp,
  signUpWithWorkspace,
  stamp,
  verifyThroughOutbox,
} from "./helpers";

test("[IDENTITY] sign up → verification mail in the outbox → verified; an email invitation shows only after", async ({
  browser,
}) => {
  const ownerContext = await browser.newContext();
  const owner = await ownerContext.newPage();
  const slug = await signUpWithWorkspace(owner, "Iris Inviter", "Invite lab");
  const invitee = `ivan-${stamp()}@example.test`;
  await owner.getByLabel("Invite as").selectOption("editor");
  await owner.getByLabel(/^Email/).fill(invitee);
  await owner.getByRole("button", { name: "Create invitation" }).click();
  await expect(owner.getByTestId("invite-mailed")).toContainText(`Mailed to ${invitee}`);
  expect(await mailedLink(invitee, "/invite/")).toMatch(/\/invite\/inv_/);

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/signup");
  await signUp(page, "Ivan Invitee", invitee, { isVerified: false });
  await expect(page.getByRole("heading", { name: "Workspaces" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Verify your email" })).toContainText(invitee);
  await expect(page.getByRole("region", { name: "Invitations for you" })).toHaveCount(0);
  await page.goto(`/w/${slug}`);
  await expect(page.getByRole("heading", { name: /Invite lab/ })).toHaveCount(0); // not a member

  await verifyThroughOutbox(page, invitee);
  await page.goto("/workspaces");
  await expect(page.getByRole("region", { name: "Verify your email" })).toHaveCount(0);
  const invitations = page.getByRole("region", { name: "Invitations for you" });
  await expect(invitations).toContainText("Invite lab");
  await invitations.getByRole("button", { name: "Join" }).click();
  await expect(page).toHaveURL(new RegExp(`/w/${slug}$`));
  await expect(page.getByLabel("Your role")).toHaveText("editor");
  // The link works once.
  await page.goto(await mailedLink(invitee, "/verify/"));
  await page.getByRole("button", { name: "Verify my address" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "already been used" })).toBeVisible();
  await ownerContext.close();
  await context.close();
});

test("[IDENTITY] password reset by mail: the old password stops working, the new one signs in", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/signup");
  const email = await signUp(page, "Rosa Reset");
  await context.clearCookies();

  await page.goto("/signin");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await page.waitForLoadState("networkidle");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send the link" }).click();
  await expect(page.getByRole("heading", { name: "Check your mail" })).toBeVisible();

  await page.goto(await mailedLink(email, "/reset/"));
  await page.waitForLoadState("networkidle");
  await page.getByLabel(/^New password/).fill("12345678");
  await page.getByRole("button", { name: "Set the new password" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "password: too easy to guess" })).toBeVisible();
  await page.getByLabel(/^New password/).fill("a fresh reset passphrase");
  await page.getByRole("button", { name: "Set the new password" }).click();
  await expect(page.getByRole("heading", { name: "Workspaces" })).toBeVisible();

  const other = await (await browser.newContext()).newPage();
  await other.goto("/signin");
  await other.waitForLoadState("networkidle");
  await other.getByLabel("Email").fill(email);
  await other.getByLabel("Password").fill(PASSWORD);
  await other.getByRole("button", { name: "Sign in" }).click();
  await expect(other.getByText("Wrong email or password")).toBeVisible();
  await signIn(other, email, "a fresh reset passphrase");
  await expect(other.getByRole("heading", { name: "Workspaces" })).toBeVisible();
  await other.context().close();
  await context.close();
});

test("[IDENTITY] sign out everywhere ends a second browser's session at its next request", async ({ browser }) => {
  const first = await (await browser.newContext()).newPage();
  await first.goto("/signup");
  const email = await signUp(first, "Sol Sessions");
  const second = await (await browser.newContext()).newPage();
  await signIn(second, email);
  await expect(second.getByRole("heading", { name: "Workspaces" })).toBeVisible();
  expect((await second.request.get("/api/trpc/account.me")).status()).toBe(200);

  await first.goto("/settings");
  await first.waitForLoadState("networkidle");
  await first.getByRole("button", { name: "Sign out everywhere" }).click();
  await first.waitForURL(/\/signin/);

  // The second browser still holds its cookie, and the server no longer accepts it.
  expect((await second.context().cookies()).some((c) => c.name.includes("next-auth.session-token"))).toBe(true);
  expect((await second.request.get("/api/trpc/account.me")).status()).toBe(401);
  await second.goto("/workspaces");
  await expect(second).toHaveURL(/\/signin\?callbackUrl=%2Fworkspaces/);
  await first.context().close();
  await second.context().close();
});

test("[IDENTITY] sign-up and reset answer byte for byte the same for taken and free addresses; auth.* is never batched", async ({
  playwright,
  baseURL,
}) => {
  const api = await playwright.request.newContext({ baseURL });
  const post = async (path: string, json: unknown) => {
    const res = await api.post(`/api/trpc/${path}`, { data: { json } });
    return { status: res.status(), body: await res.text() };
  };
  const taken = "demo@circuitboard.local";
  const free = `nobody-${stamp()}@example.test`;
  const signUpTaken = await post("auth.signUp", { email: taken, name: "Someone", password: PASSWORD });
  const signUpFree = await post("auth.signUp", { email: free, name: "Someone", password: PASSWORD });
  expect(signUpTaken.status).toBe(200);
  expect(signUpTaken).toEqual(signUpFree);
  // What differs goes to the mailboxes only.
  const [toOwner] = await mailsTo(OUTBOX, taken);
  expect(toOwner?.subject).toBe("You already have a Circuitboard account");
  expect(await mailedLink(free, "/verify/")).toMatch(/\/verify\/ev_/);

  const resetTaken = await post("auth.requestPasswordReset", { email: taken });
  const resetFree = await post("auth.requestPasswordReset", { email: `nobody-${stamp()}@example.test` });
  expect(resetTaken.status).toBe(200);
  expect(resetTaken).toEqual(resetFree);
  expect(await mailedLink(taken, "/reset/", 2)).toMatch(/\/reset\/pr_/);

  const batch = await api.post(`/api/trpc/auth.signUp,auth.signUp?batch=1`, {
    data: { 0: { json: { email: `b1-${stamp()}@example.test`, name: "B", password: PASSWORD } } },
  });
  expect(batch.status()).toBe(400);
  expect(await batch.text()).toContain("cannot be batched");
  await api.dispose();
});
