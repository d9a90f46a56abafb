/**
 * The front server over real HTTP on loopback, in front of a small app that reports what reached it. The
 * same server runs around Next in `npm start` (the end-to-end suite checks it there with Chromium).
 */
import { readFileSync } from "node:fs";
import { request as httpRequest, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FRAMEABLE_PREFIXES } from "~/server/http/framing";
import { createFrontServer } from "~/server/http/front-server";

interface Seen {
  url: string;
  headers: IncomingHttpHeaders;
  bodyBytes: number;
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function startServer(trustProxyHops: number) {
  const seen: Seen[] = [];
  const server = createFrontServer({
    trustProxyHops,
    bodyLimits: { uploadBytes: 10 * 1024 * 1024, trpcBytes: 1024 * 1024, otherBytes: 64 * 1024 },
    publicUrl: "http://app.example",
    handle(req, res) {
      let bodyBytes = 0;
      req.on("data", (c: Buffer) => (bodyBytes += c.byteLength));
      req.on("end", () => {
        seen.push({ url: req.url ?? "", headers: req.headers, bodyBytes });
        res.setHeader("content-type", "text/plain");
        res.end("app");
      });
    },
  });
  return { server, seen };
}

function send(
  server: Server,
  path: string,
  { method = "GET", headers = {}, body }: { method?: string; headers?: Record<string, string>; body?: Buffer } = {},
): Promise<Answer> {
  const { port } = server.address() as AddressInfo;
  const length =
    body && !headers["transfer-encoding"] && !headers["content-length"]
      ? { "content-length": String(body.byteLength) }
      : {};
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path, method, headers: { ...headers, ...length } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on("error", (e: NodeJS.ErrnoException) =>
      e.code === "EPIPE" || e.code === "ECONNRESET" ? undefined : reject(e),
    );
    if (body) req.write(body);
    req.end();
  });
}

describe("front server", () => {
  const direct = startServer(0);
  const proxied = startServer(1);
  beforeAll(async () => {
    for (const { server } of [direct, proxied]) await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  });
  afterAll(async () => {
    for (const { server } of [direct, proxied]) await new Promise((r) => server.close(r));
  });
  const last = (s: Seen[]) => s[s.length - 1]!;

  it("the client address is the socket's: a spoofed X-Forwarded-For and x-client-ip are ignored (hops 0)", async () => {
    for (let i = 0; i < 20; i++) {
      await send(direct.server, "/", {
        headers: { "x-forwarded-for": `203.0.113.${i}`, "x-client-ip": "198.51.100.1", "x-real-ip": "198.51.100.2" },
      });
      const h = last(direct.seen).headers;
      expect(h["x-client-ip"]).toBe("127.0.0.1");
      expect(h["x-forwarded-for"]).toBe("127.0.0.1");
      expect(h["x-real-ip"]).toBeUndefined();
    }
  });

  it("behind one trusted proxy, the right-most X-Forwarded-For hop is the client; the client's own hops are not", async () => {
    await send(proxied.server, "/", { headers: { "x-forwarded-for": "6.6.6.6, 203.0.113.9" } });
    expect(last(proxied.seen).headers["x-client-ip"]).toBe("203.0.113.9");
    await send(proxied.server, "/");
    expect(last(proxied.seen).headers["x-client-ip"]).toBe("127.0.0.1");
  });

  it("every request gets its own request id, on the request and the response; a client's is replaced", async () => {
    const a = await send(direct.server, "/", { headers: { "x-request-id": "chosen-by-the-client" } });
    const seenId = last(direct.seen).headers["x-request-id"];
    const b = await send(direct.server, "/");
    expect(a.headers["x-request-id"]).toBe(seenId);
    expect(seenId).not.toBe("chosen-by-the-client");
    expect(b.headers["x-request-id"]).not.toBe(a.headers["x-request-id"]);
  });

  it("CSP with a fresh nonce everywhere; frame-ancestors 'none' except the framing registry's routes", async () => {
    const page = await send(direct.server, "/w/demo");
    const csp = String(page.headers["content-security-policy"]);
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}' 'strict-dynamic'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-eval");
    expect(page.headers["x-frame-options"]).toBe("DENY");
    expect(last(direct.seen).headers["content-security-policy"]).toBe(csp); // where Next finds the nonce
    const again = await send(direct.server, "/w/demo");
    expect(again.headers["content-security-policy"]).not.toBe(csp);
    for (const prefix of FRAMEABLE_PREFIXES) {
      const embed = await send(direct.server, `${prefix}abc`, {
        headers: { cookie: "next-auth.session-token=secret", authorization: "Bearer cb_x" },
      });
      expect(embed.headers["content-security-policy"]).toContain("frame-ancestors *");
      expect(embed.headers["x-frame-options"]).toBeUndefined();
      expect(last(direct.seen).headers.cookie, `${prefix}: rendered cookie-less`).toBeUndefined();
      expect(last(direct.seen).headers.authorization).toBeUndefined();
    }
  });

  it("a 60 MB tRPC body is refused with 413 before the app reads a byte", async () => {
    const before = direct.seen.length;
    const r = await send(direct.server, "/api/trpc/subgraph.create", {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": String(60 * 1024 * 1024) },
      body: Buffer.alloc(64 * 1024, 32),
    });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body).error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(direct.seen.length).toBe(before);
  });

  it("a worker's tokenizer.json (the demo's is 128 KB) reaches the app (issue 15: it was refused with 413)", async () => {
    const tokenizer = readFileSync("gpu-worker/assets/circuitboard-demo-gpt2/tokenizer.json");
    expect(tokenizer.byteLength).toBeGreaterThan(64 * 1024);
    const before = direct.seen.length;
    const r = await send(direct.server, `/api/worker/tokenizers/${"a".repeat(64)}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer worker" },
      body: tokenizer,
    });
    expect(r.status).toBe(200);
    expect(last(direct.seen).bodyBytes).toBe(tokenizer.byteLength);
    expect(direct.seen.length).toBe(before + 1);
  });

  it("a chunked body where the route cannot count bytes is refused (411); uploads may stream", async () => {
    const chunked = { "transfer-encoding": "chunked", "content-type": "application/json" };
    const r = await send(direct.server, "/api/worker/claim", {
      method: "POST",
      headers: chunked,
      body: Buffer.from("{}"),
    });
    expect(r.status).toBe(411);
    const ok = await send(direct.server, "/api/workspaces/lab/graphs", {
      method: "POST",
      headers: chunked,
      body: Buffer.from("{}"),
    });
    expect(ok.status).toBe(200);
  });

  it.each([
    ["/api/graphs/%00/data", "NUL in the path"],
    ["/explore?q=%00", "NUL in the query"],
    ["/explore?q=%ED%A0%80", "an encoded surrogate"],
    ["/explore?q=%E0%A4%A", "broken percent-encoding"],
  ])("%s is a 400 before any route (%s)", async (path) => {
    const before = direct.seen.length;
    const r = await send(direct.server, path);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).error.appCode).toBe("INVALID_TEXT");
    expect(direct.seen.length).toBe(before);
  });

  const cookie = { cookie: "next-auth.session-token=s" };
  it.each([
    [
      "a same-site form POST (another port)",
      { ...cookie, "sec-fetch-site": "same-site", "content-type": "text/plain" },
      403,
    ],
    ["a cross-site fetch", { ...cookie, "sec-fetch-site": "cross-site", "content-type": "application/json" }, 403],
    [
      "a foreign Origin (old browser)",
      { ...cookie, origin: "http://127.0.0.1:9999", "content-type": "application/json" },
      403,
    ],
    ["a form content type without Fetch metadata", { ...cookie, "content-type": "text/plain" }, 403],
    ["multipart form data", { ...cookie, "content-type": "multipart/form-data; boundary=x" }, 403],
    ["same-origin JSON", { ...cookie, "sec-fetch-site": "same-origin", "content-type": "application/json" }, 200],
    ["our public origin", { ...cookie, origin: "http://app.example", "content-type": "application/json" }, 200],
    ["an API key (no cookie)", { authorization: "Bearer cb_x", "content-type": "text/plain" }, 200],
  ])("upload with the cookie: %s → %s", async (_name, headers, status) => {
    const r = await send(direct.server, "/api/workspaces/lab/graphs", {
      method: "POST",
      headers,
      body: Buffer.from("{}"),
    });
    expect(r.status).toBe(status);
    if (status === 403) expect(JSON.parse(r.body).error.appCode).toBe("CROSS_SITE_REQUEST");
  });

  it("next-auth's own forms (CSRF token) still post form-encoded from the same origin", async () => {
    const r = await send(direct.server, "/api/auth/callback/credentials", {
      method: "POST",
      headers: { ...cookie, "sec-fetch-site": "same-origin", "content-type": "application/x-www-form-urlencoded" },
      body: Buffer.from("csrfToken=x"),
    });
    expect(r.status).toBe(200);
  });
});
