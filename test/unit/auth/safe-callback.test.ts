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
  ])("%s → %s", (input, expected) => {
    expect(safeCallback(input)).toBe(expected);
  });
});
