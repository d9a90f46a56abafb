import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "@circuitboard/shared/log";
import { errorResponse } from "~/server/http/responses";

// The app logger reads LOG_FORMAT on first use; a developer running this in a terminal must still get JSON.
process.env.LOG_FORMAT = "json";

function capture() {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on("data", (c: Buffer) => chunks.push(c.toString()));
  return { stream, lines: () => chunks.join("").trim().split("\n").filter(Boolean) };
}

describe("the shared logger", () => {
  it("writes one JSON object per line with the fields given, and an error with its cause chain", () => {
    const out = capture();
    const log = createLogger({ name: "worker", format: "json", destination: out.stream });
    const job = log.child({ jobId: "j1", model: "demo" });
    job.info({ phase: "forward" }, "phase started");
    job.error({ err: new Error("upload failed", { cause: new Error("socket hang up") }) }, "job failed");
    const [a, b] = out.lines().map((l) => JSON.parse(l));
    expect(a).toMatchObject({ name: "worker", jobId: "j1", model: "demo", phase: "forward", msg: "phase started" });
    expect(b.err.message).toBe("upload failed");
    expect(b.err.cause.message).toBe("socket hang up");
    expect(b.level).toBe(50);
  });

  it("respects the level", () => {
    const out = capture();
    createLogger({ name: "app", level: "warn", format: "json", destination: out.stream }).info("quiet");
    expect(out.lines()).toEqual([]);
  });

  it("pretty format is one readable line, not JSON", () => {
    const out = capture();
    createLogger({ name: "app", format: "pretty", destination: out.stream }).info({ jobId: "j2" }, "hello");
    expect(out.lines()[0]).toMatch(/INFO.*hello/);
    expect(() => JSON.parse(out.lines()[0]!)).toThrow();
  });
});

describe("a 500 from a route handler", () => {
  it("is one log line with the request id and the cause, and the response shows no internal message", async () => {
    const written: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => {
      written.push(chunk.toString());
      return true;
    }) as typeof process.stderr.write;
    let res: Response;
    try {
      const req = new Request("http://localhost/api/graphs/x/export", { headers: { "x-request-id": "req-42" } });
      res = errorResponse(new Error("db exploded", { cause: new Error("ECONNRESET") }), req);
    } finally {
      process.stderr.write = write;
    }
    const lines = written.join("").trim().split("\n");
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ reqId: "req-42", path: "/api/graphs/x/export", level: 50 });
    expect(line.err.message).toBe("db exploded");
    expect(line.err.cause.message).toBe("ECONNRESET");
    expect(res.status).toBe(500);
    expect(JSON.stringify(await res.json())).not.toMatch(/exploded|ECONNRESET/);
  });
});
