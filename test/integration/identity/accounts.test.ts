/**
 * Identity at the service + tRPC level on a real database, with mail read back from a real outbox:
 * sign-up and reset that reveal nothing about who has an account, verification links, the password
 * policy, and the two hijacks verification exists to stop (email invitations, GitHub linking by email).
 */
import { expect, it } from "vitest";
import { getUserForSession } from "~/server/services/auth/sessions";
import { findOrCreateOAuthUser, oauthSignInRefusal, verifyCredentials } from "~/server/services/auth/users";
import { describeEachDatabase } from "../helpers/databases";
import { codeOf } from "../helpers/outcome";
import { linkMailedTo, mailsTo } from "../helpers/outbox";
import { callerFor, seedUser, testMailer, testStore, uniq } from "../helpers/seed";

const PASSWORD = "a long test password";
const signInLimits = { maxAttempts: 100, maxAttemptsPerIp: 100, windowSeconds: 60 };

/** A signed-out caller with its own outbox and IP (so rate limits of other tests do not interfere). */
function anonymous(db: Parameters<typeof callerFor>[0]) {
  const mailer = testMailer();
  return { api: callerFor(db, null, testStore, { mailer, ip: uniq("ip") }), mailer, outbox: mailer.outboxDir };
}

const tokenOf = (link: string) => new URL(link).pathname.split("/").pop()!;

describeEachDatabase("identity", (database) => {
  it("sign-up with a taken address answers byte for byte as a new one, and mails the owner instead", async () => {
    const { db } = database();
    const { api, mailer, outbox } = anonymous(db);
    const owner = await seedUser(db);
    const before = await db.user.findUniqueOrThrow({ where: { id: owner.id } });
    const fresh = `${uniq("fresh")}@example.test`;

    const forTaken = await api.auth.signUp({ email: owner.email, name: "Intruder", password: PASSWORD });
    const forFree = await api.auth.signUp({ email: fresh, name: "Newcomer", password: PASSWORD });
    expect(JSON.stringify(forTaken)).toBe(JSON.stringify(forFree));
    expect(forFree).toEqual({ status: "check-your-mail" });

    await mailer.idle();
    const toOwner = await mailsTo(outbox, owner.email);
    expect(toOwner.map((m) => m.subject)).toEqual(["You already have a Circuitboard account"]);
    expect(toOwner[0]!.links.some((l) => l.endsWith("/reset"))).toBe(true);
    // Nothing about the existing account changed: no new user, same name and password hash.
    expect(await db.user.findUniqueOrThrow({ where: { id: owner.id } })).toEqual(before);
    expect(await db.user.count({ where: { email: owner.email } })).toBe(1);
    const toNew = await mailsTo(outbox, fresh);
    expect(toNew.map((m) => m.subject)).toEqual(["Verify your email address for Circuitboard"]);
  });

  it("the verification link verifies once; a used, foreign or expired link is refused with the reason", async () => {
    const { db } = database();
    const { api, mailer, outbox } = anonymous(db);
    const email = `${uniq("ver")}@example.test`;
    await api.auth.signUp({ email, name: "Vera", password: PASSWORD });
    await mailer.idle();
    const link = await linkMailedTo(outbox, email, "/verify/");
    expect(link.startsWith("http://circuitboard.test/verify/ev_")).toBe(true);
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    expect(user.emailVerifiedAt).toBeNull();
    const userApi = callerFor(db, user);
    expect(await userApi.account.me()).toMatchObject({ isEmailVerified: false, hasPassword: true });

    expect(await api.auth.verifyEmail({ token: tokenOf(link) })).toEqual({ email });
    expect(await userApi.account.me()).toMatchObject({ isEmailVerified: true });
    await expect(api.auth.verifyEmail({ token: tokenOf(link) })).rejects.toThrow(/already been used/);
    await expect(api.auth.verifyEmail({ token: "ev_" + "x".repeat(32) })).rejects.toThrow(/not valid/);

    // The stored row is a digest, never the token itself.
    const rows = await db.emailToken.findMany({ where: { userId: user.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).not.toContain(tokenOf(link));
    expect(rows[0]!.tokenHash).toMatch(/^[0-9a-f]{64}$/);

    const other = await seedUser(db, uniq("late"), { isEmailVerified: false });
    await callerFor(db, other, testStore, { mailer }).account.resendVerification();
    const late = tokenOf(await linkMailedTo(outbox, other.email, "/verify/"));
    await db.emailToken.updateMany({ where: { userId: other.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expect(api.auth.verifyEmail({ token: late })).rejects.toThrow(/expired/);
    expect(await codeOf(api.auth.verifyEmail({ token: late }))).toBe("NOT_FOUND");
  });

  const WEAK = [
    { password: "        ", why: /too easy to guess/ },
    { password: "12345678", why: /heavily used password/ },
    { password: "password1234", why: /too easy to guess/ },
    { password: "short", why: /at least 8 characters/ },
    { password: "gracehopper", why: /personal/ }, // the account's own name
  ];
  for (const { password, why } of WEAK) {
    it(`the password policy refuses ${JSON.stringify(password)} with the field named, creating nothing`, async () => {
      const { db } = database();
      const { api } = anonymous(db);
      const email = `${uniq("weak")}@example.test`;
      const call = api.auth.signUp({ email, name: "Grace Hopper", password });
      await expect(call).rejects.toThrow(why);
      expect(await codeOf(api.auth.signUp({ email, name: "Grace Hopper", password }))).toBe("BAD_REQUEST");
      await expect(api.auth.signUp({ email, name: "Grace Hopper", password })).rejects.toThrow(/^password: /);
      expect(await db.user.count({ where: { email } })).toBe(0);
    });
  }

  it("a reset request answers the same for any address; the mailed link sets a new password once and ends every session", async () => {
    const { db } = database();
    const { api, mailer, outbox } = anonymous(db);
    const email = `${uniq("reset")}@example.test`;
    await api.auth.signUp({ email, name: "Rhea", password: PASSWORD });
    await mailer.idle();
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    const userApi = callerFor(db, user);
    const key = await userApi.apiKey.create({ name: "laptop" });
    const nobody = `${uniq("nobody")}@example.test`;

    const forKnown = await api.auth.requestPasswordReset({ email });
    const forUnknown = await api.auth.requestPasswordReset({ email: nobody });
    expect(JSON.stringify(forKnown)).toBe(JSON.stringify(forUnknown));
    await mailer.idle();
    expect(await mailsTo(outbox, nobody, { timeoutMs: 0 })).toEqual([]);
    const link = await linkMailedTo(outbox, email, "/reset/");

    await expect(api.auth.resetPassword({ token: tokenOf(link), password: "12345678" })).rejects.toThrow(
      /^password: too easy to guess/,
    );
    expect(await api.auth.resetPassword({ token: tokenOf(link), password: "a brand new passphrase" })).toEqual({
      email,
    });
    await expect(api.auth.resetPassword({ token: tokenOf(link), password: "yet another passphrase" })).rejects.toThrow(
      /already been used/,
    );

    const after = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after.sessionEpoch).toBe(user.sessionEpoch + 1);
    expect(after.emailVerifiedAt).not.toBeNull(); // the reset proved the address
    expect(await getUserForSession(db, { userId: user.id, sessionEpoch: user.sessionEpoch })).toBeNull();
    expect(await (await import("~/server/services/api-keys")).authenticateApiKey(db, key.key)).toBeNull();
    const ip = uniq("ip");
    await expect(verifyCredentials(db, { email, password: PASSWORD, ip, limits: signInLimits })).rejects.toThrow(
      /Wrong email or password/,
    );
    expect(
      (await verifyCredentials(db, { email, password: "a brand new passphrase", ip, limits: signInLimits }))
        .sessionEpoch,
    ).toBe(after.sessionEpoch);
  });

  it("password change needs the current password, checks the new one, and ends sessions and keys; sign out everywhere too", async () => {
    const { db } = database();
    const { api, mailer } = anonymous(db);
    const email = `${uniq("chg")}@example.test`;
    await api.auth.signUp({ email, name: "Chang", password: PASSWORD });
    await mailer.idle();
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    const userApi = callerFor(db, user);
    const { authenticateApiKey } = await import("~/server/services/api-keys");

    await expect(
      userApi.account.changePassword({ currentPassword: "not it at all", newPassword: "a brand new passphrase" }),
    ).rejects.toThrow(/^currentPassword: that is not your current password/);
    await expect(
      userApi.account.changePassword({ currentPassword: PASSWORD, newPassword: "qwertyuiop" }),
    ).rejects.toThrow(/^newPassword: too easy to guess/);
    const key = await userApi.apiKey.create({ name: "ci" });
    expect((await authenticateApiKey(db, key.key))?.id).toBe(user.id);
    await userApi.account.changePassword({ currentPassword: PASSWORD, newPassword: "a brand new passphrase" });
    expect(await getUserForSession(db, { userId: user.id, sessionEpoch: 0 })).toBeNull();
    expect(await getUserForSession(db, { userId: user.id, sessionEpoch: 1 })).toMatchObject({ id: user.id });
    expect(await authenticateApiKey(db, key.key)).toBeNull();

    const key2 = await userApi.apiKey.create({ name: "after the change" });
    expect((await authenticateApiKey(db, key2.key))?.id).toBe(user.id);
    await userApi.account.signOutEverywhere();
    expect(await getUserForSession(db, { userId: user.id, sessionEpoch: 1 })).toBeNull();
    expect(await authenticateApiKey(db, key2.key)).toBeNull();
    expect((await userApi.apiKey.list()).every((k) => k.revokedAt !== null)).toBe(true);
    // A token from before session epochs existed carries none: revoked.
    expect(await getUserForSession(db, { userId: user.id, sessionEpoch: undefined })).toBeNull();
  });

  it("an email invitation stays hidden from an unverified account with that address, and works once it is verified", async () => {
    const { db } = database();
    const { api, mailer, outbox } = anonymous(db);
    const owner = await seedUser(db);
    const ownerApi = callerFor(db, owner, testStore, { mailer });
    const ws = await ownerApi.workspace.create({ name: "Private lab" });
    const invitee = `${uniq("invitee")}@example.test`;
    const inv = await ownerApi.invitation.create({ slug: ws.slug, role: "editor", email: invitee });
    expect(inv.isMailed).toBe(true);
    const invitationLink = await linkMailedTo(outbox, invitee, "/invite/");
    expect(tokenOf(invitationLink)).toBe(inv.token);

    // Someone signs up with the invitee's address before the invitee does.
    await api.auth.signUp({ email: invitee, name: "Squatter", password: PASSWORD });
    await mailer.idle();
    const squatter = await db.user.findUniqueOrThrow({ where: { email: invitee } });
    const squatterApi = callerFor(db, squatter);
    expect(await squatterApi.invitation.mine()).toEqual([]);
    await expect(squatterApi.invitation.acceptMine({ invitationId: inv.id })).rejects.toThrow(/not verified/);
    await expect(squatterApi.invitation.accept({ token: inv.token })).rejects.toThrow(/not verified/);
    expect(await codeOf(squatterApi.workspace.get({ slug: ws.slug }))).toBe("NOT_FOUND");
    expect(await db.membership.count({ where: { workspaceId: ws.id } })).toBe(1);
    expect((await db.invitation.findUniqueOrThrow({ where: { id: inv.id } })).useCount).toBe(0);

    // The owner of the mailbox verifies: now the invitation is theirs to see and accept.
    await api.auth.verifyEmail({ token: tokenOf(await linkMailedTo(outbox, invitee, "/verify/")) });
    expect(await squatterApi.invitation.mine()).toEqual([expect.objectContaining({ id: inv.id, role: "editor" })]);
    expect(await squatterApi.invitation.acceptMine({ invitationId: inv.id })).toMatchObject({ slug: ws.slug });
    expect(await squatterApi.workspace.get({ slug: ws.slug })).toMatchObject({ role: "editor" });
  });

  it("a GitHub sign-in links to an existing account by email only when that address is verified", async () => {
    const { db } = database();
    const unverified = await seedUser(db, uniq("gh-unverified"), { isEmailVerified: false });
    const githubId = uniq("gh");
    await expect(
      findOrCreateOAuthUser(db, { githubId, email: unverified.email, name: "GitHub person" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/not verified/) });
    expect(await oauthSignInRefusal(db, { githubId, email: unverified.email })).toMatch(/not verified/);
    expect((await db.user.findUniqueOrThrow({ where: { id: unverified.id } })).githubId).toBeNull();
    expect(await db.user.count({ where: { githubId } })).toBe(0);

    const verified = await seedUser(db, uniq("gh-verified"));
    expect(await oauthSignInRefusal(db, { githubId, email: verified.email })).toBeNull();
    expect((await findOrCreateOAuthUser(db, { githubId, email: verified.email, name: "x" })).id).toBe(verified.id);
    expect((await db.user.findUniqueOrThrow({ where: { id: verified.id } })).githubId).toBe(githubId);
    // Known by GitHub id from then on; a new address makes a new (unverified) account.
    expect((await findOrCreateOAuthUser(db, { githubId, email: "other@example.test", name: "x" })).id).toBe(
      verified.id,
    );
    const fresh = await findOrCreateOAuthUser(db, {
      githubId: uniq("gh"),
      email: `${uniq("gh-new")}@example.test`,
      name: "New",
    });
    expect((await db.user.findUniqueOrThrow({ where: { id: fresh.id } })).emailVerifiedAt).toBeNull();
  });

  it("sign-ups and reset requests are limited per IP; mail to one address is capped silently", async () => {
    const { db } = database();
    const mailer = testMailer();
    const ip = uniq("ip");
    const { signUp } = await import("~/server/services/auth/users");
    const { requestPasswordReset } = await import("~/server/services/auth/passwords");
    const limits = { maxPerIp: 3, maxMailsPerAddress: 2, windowSeconds: 3600 };
    const options = { ip, limits, verifyTtlHours: 1 };
    for (let i = 0; i < 3; i++) {
      await signUp(db, mailer, { email: `${uniq("many")}@example.test`, name: "M", password: PASSWORD }, options);
    }
    await expect(
      signUp(db, mailer, { email: `${uniq("many")}@example.test`, name: "M", password: PASSWORD }, options),
    ).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });

    const victim = await seedUser(db);
    // All at once, as a mail bomb would come: the atomic limiter still lets exactly two mails through.
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        requestPasswordReset(db, mailer, { email: victim.email, ip: uniq("ip"), limits, ttlMinutes: 60 }),
      ),
    );
    expect(answers).toEqual(Array(6).fill({ status: "check-your-mail" }));
    await mailer.idle();
    expect(await mailsTo(mailer.outboxDir, victim.email, { timeoutMs: 0 })).toHaveLength(2);
    for (let i = 0; i < 3; i++) {
      await requestPasswordReset(db, mailer, { email: victim.email, ip, limits, ttlMinutes: 60 }).catch(() => 0);
    }
    await expect(
      requestPasswordReset(db, mailer, { email: victim.email, ip, limits, ttlMinutes: 60 }),
    ).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
  });
});
