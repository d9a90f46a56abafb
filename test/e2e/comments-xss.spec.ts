/**
 * Hostile comment bodies render inert in the real browser: no dialog, no script run, no request to any
 * host but the app's own, no element or attribute that could run one; the page's Content-Security-Policy
 * would have blocked them anyway. And the tab keeps one live stream
 * open at a time while its components follow several topics.
 */
import { expect, test } from "@playwright/test";
import { LONG_GRAPH, signUpWithWorkspace } from "./helpers";

const HOSTILE = [
  "<script>window.__xss = 'script'; alert('script')</script>",
  "<img src=\"https://evil.example/x.png\" onerror=\"window.__xss='img'; alert('img')\">",
  "<svg onload=\"window.__xss='svg'; alert('svg')\"><circle r=4 /></svg>",
  "[javascript link](javascript:window.__xss='js';alert('js'))",
  "[JaVaScRiPt link](JaVaScRiPt:alert('js2'))",
  "[entity link](&#106;avascript:alert('entity'))",
  "[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
  "![tracking image](https://evil.example/pixel.png)",
  "![data image](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
  "[ref link][1]\n\n[1]: javascript:alert('ref')",
  "<javascript:alert('autolink')>",
  '[title trick](https://ok.example "x\\" onmouseover=\\"alert(1))',
  '<iframe src="https://evil.example/frame"></iframe>',
  "<style>body{background:url(https://evil.example/bg)}</style>",
  "&lt;script&gt;alert('entities')&lt;/script&gt; &#60;img src=x onerror=alert(1)&#62;",
  "<a href=\"javascript:alert('raw a')\">raw anchor</a>",
];

test("[COMMENTS] hostile bodies render inert in Chromium; one live stream per tab", async ({ page, baseURL }) => {
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const foreign: string[] = [];
  const appHost = new URL(baseURL!).host;
  page.on("request", (r) => {
    const url = new URL(r.url());
    if (!["http:", "https:"].includes(url.protocol) || url.host !== appHost) foreign.push(r.url());
  });
  let openStreams = 0;
  let maxOpenStreams = 0;
  page.on("request", (r) => {
    if (r.url().includes("/api/live?")) maxOpenStreams = Math.max(maxOpenStreams, ++openStreams);
  });
  const closed = (r: { url(): string }) => {
    if (r.url().includes("/api/live?")) openStreams--;
  };
  page.on("requestfinished", closed);
  page.on("requestfailed", closed);

  await signUpWithWorkspace(page, "Xss Tester", "Xss");
  await page.getByLabel("Title (optional)").fill("Hostile comments");
  await page.getByLabel("Graph file", { exact: true }).setInputFiles(LONG_GRAPH);
  await expect(page.getByRole("status")).toContainText("Imported Hostile comments");
  await page.getByRole("link", { name: "Hostile comments" }).first().click();
  await expect(page.getByTestId("graph-viewer")).toHaveAttribute("data-ready", "true", { timeout: 30_000 });
  const graphId = new URL(page.url()).pathname.split("/g/")[1]!;

  for (const body of HOSTILE) {
    const response = await page.request.post("/api/trpc/comment.create", {
      data: { json: { graphId, anchor: { kind: "graph" }, body } },
    });
    expect(response.status(), body).toBe(200);
  }
  const response = await page.reload();
  expect(response?.status()).toBe(200);
  // The second line of defence: a policy that would have blocked these anyway (inline script, foreign
  // images, frames and connections).
  const csp = response!.headers()["content-security-policy"] ?? "";
  const directive = (name: string) =>
    csp
      .split(";")
      .map((d) => d.trim())
      .find((d) => d.startsWith(`${name} `)) ?? "";
  expect(directive("script-src")).toMatch(/'nonce-[^']+'/);
  expect(directive("script-src")).not.toContain("'unsafe-inline'");
  expect(directive("img-src")).not.toMatch(/https?:|\*/);
  expect(directive("connect-src")).not.toMatch(/https?:|\*/);
  expect(directive("object-src")).toBe("object-src 'none'");
  await expect(page.getByTestId("graph-viewer")).toHaveAttribute("data-ready", "true", { timeout: 30_000 });
  await expect(page.getByTestId("comment-body")).toHaveCount(HOSTILE.length);
  // Hover and click everything a user could touch.
  for (const link of await page.getByTestId("comment-body").locator("a").all()) {
    await link.hover();
    if ((await link.getAttribute("target")) !== "_blank") await link.click({ noWaitAfter: true });
  }
  await page.waitForTimeout(500);

  const audit = await page.evaluate(() => {
    const bodies = [...document.querySelectorAll('[data-testid="comment-body"]')];
    const elements = bodies.flatMap((b) => [...b.querySelectorAll("*")]);
    return {
      xss: (window as unknown as { __xss?: string }).__xss ?? null,
      dangerousTags: elements.filter((e) => /^(script|img|svg|iframe|style|object|embed|form|input)$/i.test(e.tagName))
        .length,
      eventAttributes: elements.flatMap((e) => [...e.attributes].filter((a) => /^on/i.test(a.name)).map((a) => a.name)),
      hrefs: elements.flatMap((e) => (e instanceof HTMLAnchorElement ? [e.getAttribute("href") ?? ""] : [])),
      text: bodies.map((b) => b.textContent ?? ""),
    };
  });
  expect(audit.xss).toBeNull();
  expect(dialogs).toEqual([]);
  expect(foreign).toEqual([]);
  expect(audit.dangerousTags).toBe(0);
  expect(audit.eventAttributes).toEqual([]);
  for (const href of audit.hrefs) expect(href).toMatch(/^(https?:\/\/|mailto:|\?|#)/);
  // Shown as text, not dropped: the reader sees what was written.
  expect(audit.text.join("\n")).toContain("<script>");
  expect(maxOpenStreams).toBe(1);
});
