/**
 * The tRPC endpoint itself (app/api/trpc/[trpc]/route.ts) on a real SQLite database: an error found while
 * its context is built (a wrong API key) is that error's status, never a 500.
 */
import { expect, it } from "vitest";
import { createMigratedDatabase } from "../helpers/databases";

it("a wrong Bearer key on the tRPC endpoint is a 401 with its code, not a 500", async () => {
  const database = await createMigratedDatabase("sqlite");
  process.env.DATABASE_URL = database.url; // read once, by the endpoint's first env()
  process.env.NEXTAUTH_SECRET ??= "a test secret of sufficient length";
  try {
    const { GET } = await import("~/app/api/trpc/[trpc]/route");
    const req = new Request("http://localhost/api/trpc/workspace.list", {
      headers: { authorization: "Bearer cb_not_a_real_key" },
    });
    const res = await GET(req as never);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain("Invalid or revoked API key");
  } finally {
    await database.drop();
  }
});
