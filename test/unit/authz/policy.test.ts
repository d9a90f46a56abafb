import { describe, expect, it } from "vitest";
import { assertMayPerform, mayAssignRole, mayRemoveMember, WORKSPACE_ACTIONS } from "~/server/authz/policy";
import { ROLES, type Role } from "~/server/authz/roles";

describe("role assignment rules", () => {
  // [actor, current role of the target (null: a new invitee), new role, allowed]
  const cases: [Role, Role | null, Role, boolean][] = [
    ["owner", "viewer", "owner", true],
    ["owner", "owner", "viewer", true], // the last-owner rule is enforced by the service, not here
    ["admin", "viewer", "editor", true],
    ["admin", "editor", "admin", true],
    ["admin", null, "admin", true],
    ["admin", null, "owner", false],
    ["admin", "owner", "admin", false],
    ["admin", "admin", "editor", false],
    ["admin", "viewer", "owner", false],
    ["editor", "viewer", "editor", false],
    ["viewer", null, "viewer", false],
  ];
  for (const [actor, from, to, allowed] of cases) {
    it(`${actor} ${allowed ? "may" : "may not"} make a ${from ?? "new invitee"} ${to}`, () => {
      expect(mayAssignRole(actor, from, to)).toBe(allowed);
    });
  }

  it("admins remove only editors and viewers; owners anyone; others no one", () => {
    const table = Object.fromEntries(ROLES.map((a) => [a, ROLES.filter((t) => mayRemoveMember(a, t))]));
    expect(table).toEqual({
      viewer: [],
      editor: [],
      admin: ["viewer", "editor"],
      owner: ["viewer", "editor", "admin", "owner"],
    });
  });
});

describe("assertMayPerform", () => {
  it("non-members get NOT_FOUND for every action, so private workspaces stay invisible", () => {
    for (const action of Object.keys(WORKSPACE_ACTIONS) as (keyof typeof WORKSPACE_ACTIONS)[]) {
      expect(() => assertMayPerform(null, action)).toThrow(expect.objectContaining({ code: "NOT_FOUND" }));
    }
  });
  it("a role below the minimum gets FORBIDDEN naming the needed role", () => {
    expect(() => assertMayPerform("viewer", "workspace.rename")).toThrow(/needs admin or higher/);
    expect(() => assertMayPerform("admin", "workspace.rename")).not.toThrow();
  });
});
