/** Sign-in providers follow configuration: email + password always, GitHub only when both its settings are set. */
import { afterEach, describe, expect, it, vi } from "vitest";

async function providerIds(envVars: Record<string, string | undefined>): Promise<string[]> {
  vi.resetModules(); // env() caches its parse per module instance
  for (const [k, v] of Object.entries(envVars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  const { authOptions } = await import("~/server/auth/options");
  return authOptions().providers.map((p) => p.id);
}

describe("sign-in providers", () => {
  const saved = { GITHUB_ID: process.env.GITHUB_ID, GITHUB_SECRET: process.env.GITHUB_SECRET };
  afterEach(() => Object.assign(process.env, saved));

  it("email + password only, by default", async () => {
    expect(await providerIds({ GITHUB_ID: undefined, GITHUB_SECRET: undefined })).toEqual(["credentials"]);
  });
  it("GitHub too when GITHUB_ID and GITHUB_SECRET are set", async () => {
    expect(await providerIds({ GITHUB_ID: "Iv1.abc", GITHUB_SECRET: "s3cret" })).toEqual(["credentials", "github"]);
  });
  it("not with half the configuration", async () => {
    expect(await providerIds({ GITHUB_ID: "Iv1.abc", GITHUB_SECRET: undefined })).toEqual(["credentials"]);
  });
});
