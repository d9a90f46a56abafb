/**
 * Errors leave the same way on both transports: an AppError as its kind's status with its domain code; a
 * bug (here: a real database error, from a database that does not exist) as a 500 that names the request
 * id and nothing internal. And tRPC bodies are bounded while they stream, not only by Content-Length.
 */
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { describe, expect, it } from "vitest";
import { createDb } from "~/server/db/client";
import { AppError } from "~/server/errors";
import { boundedRequest } from "~/server/http/bounded-request";
import { errorResponse } from "~/server/http/responses";
import { appRouter } from "~/server/trpc/root";
import { postgresUnavailable } from "../helpers/databases";
import { sharedTestMailer, testStore } from "../helpers/seed";

describe("error mapping", () => {
  it.each([
    [new AppError("LAST_OWNER", "The last owner cannot leave"), 409, "CONFLICT", "LAST_OWNER"],
    [new AppError("SLUG_TAKEN", "slug: taken", { path: "slug" }), 409, "CONFLICT", "SLUG_TAKEN"],
    [new AppError("INVALID_TEXT", "name: contains a NUL"), 400, "BAD_REQUEST", "INVALID_TEXT"],
    [new AppError("BUSY", "busy", { retryAfterSeconds: 5 }), 503, "SERVICE_UNAVAILABLE", "BUSY"],
    [
      Object.assign(new Error("Unique constraint failed on the fields: (`slug`)"), { code: "P2002" }),
      409,
      "CONFLICT",
      "CONFLICT",
    ],
  ])("HTTP: %s → %i", async (error, status, code, appCode) => {
    const r = errorResponse(error);
    expect(r.status).toBe(status);
    expect((await r.json()).error).toMatchObject({ code, appCode });
  });

  it("HTTP: a bug is a 500 with the request id and no internal message", async () => {
    const req = new Request("http://localhost/api/x", { headers: { "x-request-id": "req-abcdef12" } });
    const r = errorResponse(new Error("Invalid `prisma.graph.findMany()` invocation: connection refused"), req);
    expect(r.status).toBe(500);
    const body = JSON.stringify(await r.json());
    expect(body).toContain("req-abcdef12");
    expect(body).not.toMatch(/prisma|invocation|connection/i);
  });

  it.skipIf(postgresUnavailable !== null)(
    "tRPC: a real database failure is a 500 naming the request id, never Prisma's message",
    async () => {
      const broken = createDb("postgresql://postgres@127.0.0.1:5432/cb_no_such_database_ever");
      try {
        const input = encodeURIComponent(JSON.stringify({ json: {} }));
        const res = await fetchRequestHandler({
          endpoint: "/api/trpc",
          req: new Request(`http://localhost/api/trpc/graph.explore?input=${input}`),
          router: appRouter,
          createContext: () => ({
            db: broken,
            store: testStore,
            mailer: sharedTestMailer,
            user: null,
            ip: "127.0.0.1",
            requestId: "req-12345678",
          }),
        });
        expect(res.status).toBe(500);
        const body = await res.text();
        expect(body).toContain("Something went wrong on our side (request req-12345678)");
        expect(body).not.toMatch(/prisma|cb_no_such_database|does not exist|stack/i);
      } finally {
        await broken.$disconnect();
      }
    },
  );

  it("a chunked tRPC body is cut off at the limit while it streams (nothing past it is read)", async () => {
    let pulled = 0;
    const chunk = new Uint8Array(64 * 1024).fill(32);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += chunk.byteLength;
        if (pulled > 60 * 1024 * 1024) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const req = new Request("http://localhost/api/trpc/subgraph.create", {
      method: "POST",
      body,
      headers: { "content-type": "application/json" },
      duplex: "half",
    } as RequestInit);
    const error = await boundedRequest(req, 1024 * 1024, "TRPC_MAX_BODY_BYTES").catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
    expect(pulled).toBeLessThan(2 * 1024 * 1024);
  });
});
