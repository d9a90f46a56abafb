import { expect, it } from "vitest";
import { batchedAuthError } from "~/server/trpc/unbatched-auth";

const CASES = [
  { name: "a batch with one auth call", url: "/api/trpc/auth.signUp?batch=1", isRefused: true },
  {
    name: "a batch of many sign-ups",
    url: `/api/trpc/${Array(100).fill("auth.signUp").join(",")}?batch=1`,
    isRefused: true,
  },
  { name: "auth hidden among other calls", url: "/api/trpc/workspace.list,auth.signUp?batch=1", isRefused: true },
  { name: "an encoded comma", url: "/api/trpc/workspace.list%2Cauth.signUp?batch=1", isRefused: true },
  { name: "one unbatched auth call", url: "/api/trpc/auth.signUp", isRefused: false },
  { name: "a batch without auth", url: "/api/trpc/workspace.list,account.me?batch=1", isRefused: false },
];

for (const c of CASES) {
  it(`${c.name}: ${c.isRefused ? "refused (BAD_REQUEST)" : "passed on to tRPC"}`, () => {
    const error = batchedAuthError(new Request(`http://localhost${c.url}`, { method: "POST" }));
    if (!c.isRefused) return expect(error).toBeNull();
    expect(error).toMatchObject({ code: "BAD_REQUEST", status: 400, message: expect.stringMatching(/batched/) });
  });
}
