/**
 * Trust through the real front server, Next and Chromium: every page type under its CSP, cookie-carrying
 * forms from another port refused, and no request stalled by a 150 MB graph being imported or exported.
 */
import { expect, test, type Page } from "@playwright/test";
import { createServer, request as httpRequest, type Server } from "node:http";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeLargeSyntheticGraph } from "../../bench/large-synthetic-graph";
import { LONG_GRAPH, signUpWithWorkspace } from "./helpers";

const port = Number(process.env.E2E_PORT ?? 3217);

/** Records every CSP violation the page reports, from its first script on. */
async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = seen;
    document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const console: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) console.push(m.text());
  });
  return async () => [...console, ...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp))];
}

test("[TRUST] every page type carries the CSP (nonce, frame-ancestors) and runs under it", async ({ page }) => {
  const violations = await watchCsp(page);
  const slug = await signUpWithWorkspace(page, "Csp"); // sign-up and workspace forms work: hydrated under the CSP
  await page.getByLabel("Graph file", { exact: true }).setInputFiles(LONG_GRAPH);
  await expect(page.getByRole("status")).toContainText("Imported");
  const graphHref = await page.getByRole("table", { name: "Graphs" }).getByRole("link").first().getAttribute("href");
  const pages: { path: string; isFrameable?: boolean; status?: number }[] = [
    { path: "/" },
    { path: "/explore" },
    { path: "/workspaces" },
    { path: `/w/${slug}` },
    { path: graphHref! },
    { path: "/settings" },
    { path: "/invite/no-such-token" },
    { path: "/no-such-page", status: 404 },
    { path: "/embed/g/not-yet-built", isFrameable: true, status: 404 },
  ];
  for (const { path, isFrameable, status } of pages) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(status ?? 200);
    const csp = (await response!.allHeaders())["content-security-policy"] ?? "";
    expect(csp, path).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    expect(csp, path).toContain(isFrameable ? "frame-ancestors *" : "frame-ancestors 'none'");
    expect((await response!.allHeaders())["x-frame-options"], path).toBe(isFrameable ? undefined : "DENY");
    // Every script the server sends carries this response's nonce; what they load later is allowed by
    // 'strict-dynamic' (and would show up as a violation below if it were not).
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    const tags = (await response!.text()).match(/<script\b[^>]*>/g) ?? [];
    expect(tags.length, `${path}: server-rendered scripts`).toBeGreaterThan(0);
    expect(
      tags.filter((t) => !t.includes(`nonce="${nonce}"`)),
      `${path}: scripts without the nonce`,
    ).toEqual([]);
    await page.waitForLoadState("networkidle");
  }
  await page.goto(graphHref!);
  await expect(page.locator("canvas").first()).toBeVisible(); // the viewer and its Web Worker run under the CSP
  await page.goto("/signin");
  await page.waitForLoadState("networkidle");
  expect(await violations()).toEqual([]);
});

test("[TRUST] a same-site page on another port cannot post to the upload route with the cookie", async ({ page }) => {
  const slug = await signUpWithWorkspace(page, "Csrf");
  const target = `http://localhost:${port}/api/workspaces/${slug}/graphs?visibility=public&title=planted`;
  const attacker: Server = createServer((_req, res) => {
    res.setHeader("content-type", "text/html");
    res.end(`<form id="f" method="POST" enctype="text/plain" action="${target}">
      <input name='{"metadata":{"prompt_tokens":[]},"nodes":[],"links":[],"x":"' value='"}'></form>
      <script>document.getElementById("f").submit()</script>`);
  });
  const attackerPort = port + 1;
  await new Promise<void>((r) => attacker.listen(attackerPort, "127.0.0.1", r));
  try {
    const answer = page.waitForResponse((r) => r.url().startsWith(target));
    await page.goto(`http://localhost:${attackerPort}/`);
    const refused = await answer;
    expect(refused.status()).toBe(403);
    expect(await refused.text()).toContain("CROSS_SITE_REQUEST");
  } finally {
    await new Promise((r) => attacker.close(r));
  }
  await page.goto(`/w/${slug}`);
  await expect(page.getByText("planted")).toHaveCount(0);
});

/** Sends a request; `sent` resolves once the whole body is on the wire, `answered` with the response. */
function send(path: string, o: { method?: string; headers?: Record<string, string>; body?: Buffer } = {}) {
  let onSent!: () => void;
  const sent = new Promise<void>((r) => (onSent = r));
  const answered = new Promise<{ status: number; body: Buffer; at: bigint }>((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path, method: o.method ?? "GET", headers: o.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), at: process.hrtime.bigint() }),
      );
    });
    req.on("error", reject);
    req.on("finish", onSent);
    req.end(o.body);
  });
  return { sent, answered };
}

test("[TRUST] a 150 MB import and an anonymous export of it never stall /api/health", async ({ page }) => {
  test.setTimeout(300_000);
  const file = join(mkdtempSync(join(tmpdir(), "cb-stall-")), "large.json");
  writeLargeSyntheticGraph(file, 150_000_000);
  expect(statSync(file).size).toBeGreaterThan(150_000_000);
  const teamSlug = await signUpWithWorkspace(page, "Stall");
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");

  // The import: once its body is sent, the server is parsing it; a health check sent then answers first.
  const upload = send(`/api/workspaces/${teamSlug}/graphs?visibility=public&title=large`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json" },
    body: readFileSync(file),
  });
  await upload.sent;
  const health = await send("/api/health").answered;
  const imported = await upload.answered;
  expect(health.status).toBe(200);
  expect(imported.status, imported.body.toString().slice(0, 300)).toBe(201);
  expect(health.at < imported.at, "health answered before the import finished").toBe(true);
  const { id } = JSON.parse(imported.body.toString()) as { id: string };

  // An anonymous export (no cookie, no key) of the public graph: parsed and re-written off the event loop.
  const exporting = send(`/api/graphs/${id}/export`);
  await exporting.sent;
  const healthDuringExport = await send("/api/health").answered;
  const exported = await exporting.answered;
  expect(healthDuringExport.status).toBe(200);
  expect(exported.status).toBe(200);
  expect(exported.body.byteLength).toBeGreaterThan(100_000_000);
  expect(healthDuringExport.at < exported.at, "health answered before the export finished").toBe(true);
});
