/**
 * Workspaces end to end at the service + tRPC level, on a real database: the flows a team goes
 * through, and the refusals that keep workspaces private. Each test seeds its own users.
 */
import { expect, it } from "vitest";
import { authenticateApiKey } from "~/server/services/api-keys";
import { hashPassword } from "~/server/services/auth/password";
import { createUser, signUp, verifyCredentials } from "~/server/services/auth/users";
import { describeEachDatabase } from "./helpers/databases";
import { codeOf } from "./helpers/outcome";
import { callerFor, seedUser, sharedTestMailer, TEST_ABUSE_LIMITS, uniq } from "./helpers/seed";

describeEachDatabase("workspaces", (database) => {
  it("sign-up creates the user and a personal workspace they own, with an Argon2id hash", async () => {
    const { db } = database();
    const email = `${uniq("alice")}@Example.test`;
    const options = { ip: uniq("ip"), limits: TEST_ABUSE_LIMITS, verifyTtlHours: 1 };
    await signUp(db, sharedTestMailer, { email, name: "Alice", password: "correct horse battery" }, options);
    const stored = await db.user.findUniqueOrThrow({ where: { email: email.toLowerCase() } });
    const list = await callerFor(db, stored).workspace.list();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ isPersonal: true, role: "owner" });
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    expect(stored.emailVerifiedAt).toBeNull();
  });

  it("a viewer joined by link sees the workspace but cannot rename it, and the name stays", async () => {
    const { db } = database();
    const owner = await seedUser(db);
    const viewer = await seedUser(db);
    const ownerApi = callerFor(db, owner);
    const ws = await ownerApi.workspace.create({ name: "Induction heads" });
    const inv = await ownerApi.invitation.create({ slug: ws.slug, role: "viewer" });

    const viewerApi = callerFor(db, viewer);
    expect(await callerFor(db, null).invitation.preview({ token: inv.token })).toMatchObject({
      workspaceName: "Induction heads",
      role: "viewer",
    });
    expect(await codeOf(viewerApi.workspace.get({ slug: ws.slug }))).toBe("NOT_FOUND");
    expect(await viewerApi.invitation.accept({ token: inv.token })).toMatchObject({ slug: ws.slug, role: "viewer" });
    expect(await viewerApi.workspace.get({ slug: ws.slug })).toMatchObject({ name: "Induction heads", role: "viewer" });
    expect(await codeOf(viewerApi.workspace.rename({ slug: ws.slug, name: "Mine now" }))).toBe("FORBIDDEN");
    expect((await db.workspace.findUnique({ where: { id: ws.id } }))?.name).toBe("Induction heads");
    const members = await ownerApi.member.list({ slug: ws.slug });
    expect(members.map((m) => m.role).sort()).toEqual(["owner", "viewer"]);
  });

  it("a revoked or expired link cannot be used; an email invitation is for that address only, once", async () => {
    const { db } = database();
    const owner = await seedUser(db);
    const [a, b, c] = [await seedUser(db), await seedUser(db), await seedUser(db)];
    const api = callerFor(db, owner);
    const ws = await api.workspace.create({ name: "Team" });

    const link = await api.invitation.create({ slug: ws.slug, role: "editor" });
    await api.invitation.revoke({ slug: ws.slug, invitationId: link.id });
    expect(await codeOf(callerFor(db, a).invitation.accept({ token: link.token }))).toBe("NOT_FOUND");

    const old = await api.invitation.create({ slug: ws.slug, role: "editor" });
    await db.invitation.update({ where: { id: old.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expect(callerFor(db, a).invitation.accept({ token: old.token })).rejects.toThrow(/expired/);

    const forB = await api.invitation.create({ slug: ws.slug, role: "editor", email: b.email });
    expect(await codeOf(callerFor(db, a).invitation.accept({ token: forB.token }))).toBe("FORBIDDEN");
    expect(await callerFor(db, b).invitation.mine()).toEqual([
      expect.objectContaining({ workspaceSlug: ws.slug, role: "editor" }),
    ]);
    expect(await callerFor(db, b).invitation.accept({ token: forB.token })).toMatchObject({ role: "editor" });
    expect(await codeOf(callerFor(db, c).invitation.accept({ token: forB.token }))).toBe("NOT_FOUND");
    expect(await callerFor(db, b).invitation.mine()).toEqual([]);
    const statuses = (await api.invitation.list({ slug: ws.slug })).map((i) => i.status).sort();
    expect(statuses).toEqual(["expired", "revoked", "used"]);
  });

  it("roles: admins manage editors and viewers but not owners; the last owner cannot leave or be demoted", async () => {
    const { db } = database();
    const [owner, admin, editor] = [await seedUser(db), await seedUser(db), await seedUser(db)];
    const ownerApi = callerFor(db, owner);
    const ws = await ownerApi.workspace.create({ name: "Roles" });
    for (const [u, role] of [
      [admin, "admin"],
      [editor, "editor"],
    ] as const) {
      const inv = await ownerApi.invitation.create({ slug: ws.slug, role });
      await callerFor(db, u).invitation.accept({ token: inv.token });
    }
    const adminApi = callerFor(db, admin);
    expect(await codeOf(adminApi.member.changeRole({ slug: ws.slug, userId: editor.id, role: "viewer" }))).toBe("OK");
    expect(await codeOf(adminApi.member.changeRole({ slug: ws.slug, userId: editor.id, role: "owner" }))).toBe(
      "FORBIDDEN",
    );
    expect(await codeOf(adminApi.member.changeRole({ slug: ws.slug, userId: owner.id, role: "viewer" }))).toBe(
      "FORBIDDEN",
    );
    expect(await codeOf(adminApi.member.remove({ slug: ws.slug, userId: owner.id }))).toBe("FORBIDDEN");
    expect(await codeOf(adminApi.invitation.create({ slug: ws.slug, role: "owner" }))).toBe("FORBIDDEN");

    expect(await codeOf(ownerApi.workspace.leave({ slug: ws.slug }))).toBe("CONFLICT");
    expect(await codeOf(ownerApi.member.changeRole({ slug: ws.slug, userId: owner.id, role: "admin" }))).toBe(
      "CONFLICT",
    );
    await ownerApi.member.changeRole({ slug: ws.slug, userId: admin.id, role: "owner" });
    expect(await codeOf(ownerApi.workspace.leave({ slug: ws.slug }))).toBe("OK");
    expect(await codeOf(ownerApi.workspace.get({ slug: ws.slug }))).toBe("NOT_FOUND");

    expect(await codeOf(callerFor(db, editor).workspace.leave({ slug: ws.slug }))).toBe("OK");
    expect((await callerFor(db, admin).member.list({ slug: ws.slug })).map((m) => m.userId)).toEqual([admin.id]);
  });

  it("deleting needs the owner and the typed slug; personal workspaces cannot be deleted, left or shared", async () => {
    const { db } = database();
    const owner = await seedUser(db);
    const api = callerFor(db, owner);
    const ws = await api.workspace.create({ name: "Short-lived" });
    await expect(api.workspace.delete({ slug: ws.slug, confirmSlug: "wrong" })).rejects.toThrow(/confirmSlug/);
    expect(await db.workspace.count({ where: { id: ws.id } })).toBe(1);
    await api.workspace.delete({ slug: ws.slug, confirmSlug: ws.slug });
    expect(await db.workspace.count({ where: { id: ws.id } })).toBe(0);
    expect(await db.membership.count({ where: { workspaceId: ws.id } })).toBe(0);

    const personal = (await api.workspace.list())[0]!;
    expect(await codeOf(api.workspace.delete({ slug: personal.slug, confirmSlug: personal.slug }))).toBe("BAD_REQUEST");
    expect(await codeOf(api.workspace.leave({ slug: personal.slug }))).toBe("BAD_REQUEST");
    expect(await codeOf(api.invitation.create({ slug: personal.slug, role: "viewer" }))).toBe("BAD_REQUEST");
  });

  it("bad input is a BAD_REQUEST naming the field", async () => {
    const { db } = database();
    const api = callerFor(db, await seedUser(db));
    await expect(api.workspace.create({ name: "   " })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/^name:/),
    });
    await expect(api.workspace.create({ name: "x".repeat(81) })).rejects.toMatchObject({
      message: expect.stringMatching(/name: at most 80/),
    });
    await expect(api.workspace.get({ slug: "Not A Slug" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/^slug:/),
    });
    await expect(api.invitation.create({ slug: "abc", role: "emperor" as never })).rejects.toMatchObject({
      message: expect.stringMatching(/role/),
    });
  });

  it("API keys: shown once, stored as a digest, authenticate until revoked, and only the owner can revoke", async () => {
    const { db } = database();
    const [alice, bob] = [await seedUser(db), await seedUser(db)];
    const api = callerFor(db, alice);
    const created = await api.apiKey.create({ name: "script" });
    expect(created.key).toMatch(/^cb_[A-Za-z0-9_-]{40,}$/);
    const row = await db.apiKey.findUnique({ where: { id: created.id } });
    expect(row?.hash).not.toContain(created.key);
    expect(JSON.stringify(await api.apiKey.list())).not.toContain(created.key);
    expect((await authenticateApiKey(db, created.key))?.id).toBe(alice.id);
    expect(await authenticateApiKey(db, created.key + "x")).toBeNull();
    expect(await codeOf(callerFor(db, bob).apiKey.revoke({ keyId: created.id }))).toBe("NOT_FOUND");
    await api.apiKey.revoke({ keyId: created.id });
    expect(await authenticateApiKey(db, created.key)).toBeNull();
  });

  it("sign-in is rate-limited per (account, IP) and per IP; the right password from a clean address still works", async () => {
    const { db } = database();
    const email = `${uniq("rl")}@example.test`;
    await createUser(db, { email, name: "RL", passwordHash: await hashPassword("right password") });
    const limits = { maxAttempts: 3, maxAttemptsPerIp: 3, windowSeconds: 60 };
    const ip = uniq("ip");
    for (let i = 0; i < 3; i++) {
      await expect(verifyCredentials(db, { email, password: "wrong", ip, limits })).rejects.toThrow(
        /Wrong email or password/,
      );
    }
    await expect(verifyCredentials(db, { email, password: "right password", ip, limits })).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
    });
    const owner = await verifyCredentials(db, { email, password: "right password", ip: uniq("ip"), limits });
    expect(owner.email).toBe(email);
    // Per IP: many accounts from one address.
    const ip2 = uniq("ip");
    for (let i = 0; i < 3; i++) {
      await expect(
        verifyCredentials(db, { email: `${uniq("nobody")}@x.test`, password: "x", ip: ip2, limits }),
      ).rejects.toThrow(/Wrong/);
    }
    await expect(
      verifyCredentials(db, { email: `${uniq("n")}@x.test`, password: "x", ip: ip2, limits }),
    ).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
  });
});
