import { describe, expect, it } from "vitest";
import { safeCallback } from "~/app/_components/safe-callback";

describe("after sign-in, only same-site paths are followed (no open redirect)", () => {
  it.each([
    ["/w/demo", "/w/demo"],
    ["/invite/inv_abc?x=1", "/invite/inv_abc?x=1"],
    ["https://evil.example/", "/workspaces"],
    ["//evil.example/", "/workspaces"],
    ["javascript:alert(1)", "/workspaces"],
    ["/\\evil.example", "/workspaces"],
    ["/w/x\\..\\..\\evil", "/workspaces"],
    [undefined, "/workspaces"],
    // Browsers drop tab, LF and CR inside URLs: "/\t/evil.example" is "//evil.example" to them.
    ["/\t/evil.example/", "/workspaces"],
    ["/\n/evil.example/", "/workspaces"],
    ["/\r/evil.example/", "/workspaces"],
    ["/%09/evil.example/", "/workspaces"],
    ["/%0a/evil.example/", "/workspaces"],
    ["/%0D/evil.example/", "/workspaces"],
    ["/%2509/evil.example/", "/workspaces"],
    ["/%5Cevil.example", "/workspaces"],
    ["/%2F/evil.example", "/workspaces"],
    ["/%E0%A4%A", "/workspaces"],
    ["/w/caf%C3%A9?q=a%20b", "/w/caf%C3%A9?q=a%20b"],
  ])("%s → %s", (input, expected) => {
    expect(safeCallback(input)).toBe(expected);
  });
});
