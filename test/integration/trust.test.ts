/**
 * Trust on a real database (SQLite and PostgreSQL): limits that hold under concurrency, writes that are
 * never half done, and inputs no database stores refused as 400s naming the field. Each case is a finding
 * of the security and reliability probe (issue 8) and failed before its fix.
 */
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import type { Db } from "~/server/db/client";
import { announceModels, claimJob, completeJob } from "~/server/jobs/worker-protocol";
import { hashPassword } from "~/server/services/auth/password";
import { signUp, verifyCredentials } from "~/server/services/auth/users";
import { env } from "~/server/env";
import type { BlobStore } from "~/server/storage/blob-store";
import { LocalBlobStore } from "~/server/storage/local-blob-store";
import { describeEachDatabase } from "./helpers/databases";
import { SMALL_GRAPH } from "./helpers/fixtures";
import { codeOf } from "./helpers/outcome";
import { callerFor, seedUser, seedWorkspace, sharedTestMailer, TEST_ABUSE_LIMITS, uniq } from "./helpers/seed";

const MEOW = SMALL_GRAPH;
const MAX_ACTIVE_JOBS_PER_USER = env().JOB_MAX_ACTIVE_PER_USER;

/** A real local store whose first put waits until the test opens the gate (to act "during the upload"). */
function gatedStore(): { store: BlobStore; dir: string; reachedPut: Promise<void>; open: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "cb-trust-blobs-"));
  const inner = new LocalBlobStore(dir);
  let open!: () => void;
  let reached!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  const reachedPut = new Promise<void>((r) => (reached = r));
  let isFirst = true;
  const store: BlobStore = {
    kind: "local",
    async put(key, body) {
      if (isFirst) {
        isFirst = false;
        reached();
        await gate;
      }
      return inner.put(key, body);
    },
    get: (k) => inner.get(k),
    readRange: (k, start, end) => inner.readRange(k, start, end),
    delete: (k) => inner.delete(k),
    has: (k) => inner.has(k),
  };
  return { store, dir, reachedPut, open };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name);
}

async function jobSetUp(db: Db) {
  const model = uniq("model");
  await announceModels(db, [{ id: model, description: "tiny", nLayers: 4, maxTokens: 128 }]);
  const owner = await seedUser(db);
  const ws = await seedWorkspace(db, { owner: { user: owner, role: "owner" } });
  const api = callerFor(db, owner);
  return { model, owner, ws, api };
}

describeEachDatabase("trust", (database) => {
  it("30 parallel sign-ins check at most the limit's passwords; the owner still signs in from a clean address", async () => {
    const { db } = database();
    const email = `${uniq("victim")}@example.test`;
    const user = await db.user.create({
      data: { email, name: "Victim", passwordHash: await hashPassword("the right password") },
    });
    const limits = { maxAttempts: 10, maxAttemptsPerIp: 100, windowSeconds: 600 };
    const attacker = uniq("ip");
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, () =>
        codeOf(verifyCredentials(db, { email, password: "guess", ip: attacker, limits })),
      ),
    );
    const checked = outcomes.filter((c) => c === "UNAUTHORIZED").length; // each ran a password check
    expect(checked, `outcomes: ${outcomes.join(",")}`).toBeLessThanOrEqual(limits.maxAttempts);
    expect(outcomes.filter((c) => c === "TOO_MANY_REQUESTS").length).toBe(30 - checked);
    expect(await codeOf(verifyCredentials(db, { email, password: "the right password", ip: attacker, limits }))).toBe(
      "TOO_MANY_REQUESTS",
    );
    const owner = await verifyCredentials(db, { email, password: "the right password", ip: uniq("ip"), limits });
    expect(owner.id).toBe(user.id);
  });

  it("past the per-account failure cap, addresses that failed are slowed; a clean address still signs in", async () => {
    const { db } = database();
    const email = `${uniq("slowed")}@example.test`;
    await db.user.create({ data: { email, name: "S", passwordHash: await hashPassword("the right password") } });
    const limits = { maxAttempts: 3, maxAttemptsPerIp: 100, maxFailuresPerAccount: 4, windowSeconds: 600 };
    const [a, b] = [uniq("ip"), uniq("ip")];
    for (const ip of [a, a, b, b]) {
      expect(await codeOf(verifyCredentials(db, { email, password: "guess", ip, limits }))).toBe("UNAUTHORIZED");
    }
    // a had 2 of its 3; slowed to 1 per window, it has none left.
    expect(await codeOf(verifyCredentials(db, { email, password: "guess", ip: a, limits }))).toBe("TOO_MANY_REQUESTS");
    expect(await codeOf(verifyCredentials(db, { email, password: "the right password", ip: uniq("ip"), limits }))).toBe(
      "OK",
    );
  });

  it(`12 parallel generations respect the quota of ${MAX_ACTIVE_JOBS_PER_USER} active jobs`, async () => {
    const { db } = database();
    const { model, ws, api } = await jobSetUp(db);
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        codeOf(api.job.generate({ slug: ws.slug, modelId: model, prompt: `p${i}` })),
      ),
    );
    expect(outcomes.filter((c) => c === "OK").length, outcomes.join(",")).toBe(MAX_ACTIVE_JOBS_PER_USER);
    expect(outcomes.filter((c) => c === "TOO_MANY_REQUESTS").length).toBe(12 - MAX_ACTIVE_JOBS_PER_USER);
    expect(await db.job.count({ where: { workspaceId: ws.id } })).toBe(MAX_ACTIVE_JOBS_PER_USER);
  });

  it("a job cancelled while its upload is stored leaves no graph and no body", async () => {
    const { db } = database();
    const { model, ws, api } = await jobSetUp(db);
    const { id } = await api.job.generate({ slug: ws.slug, modelId: model, prompt: "cancel me" });
    await claimJob(db, { workerId: "w1", modelIds: [model] });
    const { store, dir, reachedPut, open } = gatedStore();
    const upload = codeOf(completeJob(db, store, { jobId: id, workerId: "w1", body: MEOW, maxBytes: 1e9 }));
    await reachedPut; // parsed and about to be stored: now the user cancels
    await api.job.cancel({ jobId: id });
    open();
    expect(await upload).toBe("CONFLICT");
    expect(await db.graph.count({ where: { workspaceId: ws.id } })).toBe(0);
    expect(await db.job.findUnique({ where: { id } })).toMatchObject({ status: "cancelled", graphId: null });
    expect(filesUnder(dir)).toEqual([]);
  });

  it("a lease handed over during the upload: exactly one graph, from the worker that holds the job", async () => {
    const { db } = database();
    const { model, ws, api } = await jobSetUp(db);
    const { id } = await api.job.generate({ slug: ws.slug, modelId: model, prompt: "slow worker" });
    await claimJob(db, { workerId: "slow", modelIds: [model] });
    const { store, reachedPut, open } = gatedStore();
    const slowUpload = codeOf(completeJob(db, store, { jobId: id, workerId: "slow", body: MEOW, maxBytes: 1e9 }));
    await reachedPut;
    // The slow worker's lease ran out meanwhile and another worker took the job, and finishes first.
    await db.job.update({ where: { id }, data: { leaseExpiresAt: new Date(Date.now() - 1000) } });
    expect((await claimJob(db, { workerId: "fast", modelIds: [model] }))?.id).toBe(id);
    const fast = await completeJob(db, store, { jobId: id, workerId: "fast", body: MEOW, maxBytes: 1e9 });
    open();
    expect(await slowUpload).toBe("CONFLICT");
    const graphs = await db.graph.findMany({ where: { workspaceId: ws.id }, select: { id: true } });
    expect(graphs).toEqual([{ id: fast.graphId }]);
    expect(await db.job.findUnique({ where: { id } })).toMatchObject({ status: "done", graphId: fast.graphId });
  });

  const INVALID_TEXT = [
    ["a NUL character", "lab\u0000name"],
    ["an unpaired high surrogate", "lab\uD800name"],
    ["an unpaired low surrogate", "\uDC00lab"],
  ] as const;
  for (const [what, text] of INVALID_TEXT) {
    it(`${what} in any input is a 400 naming the field, signed in or not`, async () => {
      const { db } = database();
      const user = await seedUser(db);
      const ws = await seedWorkspace(db, { owner: { user, role: "owner" } });
      const api = callerFor(db, user);
      const cases: [string, () => Promise<unknown>][] = [
        ["name", () => api.workspace.create({ name: text })],
        ["name", () => api.workspace.rename({ slug: ws.slug, name: text })],
        ["graphId", () => callerFor(db, null).graph.get({ graphId: text })],
        ["query", () => callerFor(db, null).graph.explore({ query: text })],
        ["token", () => callerFor(db, null).invitation.preview({ token: text })],
        [
          "email",
          () => callerFor(db, null).auth.signUp({ email: `${text}@x.test`, name: "x", password: "long password" }),
        ],
        ["name", () => api.apiKey.create({ name: text })],
      ];
      for (const [field, call] of cases) {
        const error = await call().then(
          () => null,
          (e: unknown) => e as { code?: string; message?: string },
        );
        expect(error?.code, `${field}: ${error?.message}`).toBe("BAD_REQUEST");
        expect(error?.message).toMatch(new RegExp(`^${field}: contains a NUL character or an unpaired`));
      }
      expect(await db.workspace.count({ where: { name: { contains: "lab" } } })).toBe(0);
    });
  }

  it("parallel same-name sign-ups all get their personal workspace", async () => {
    const { db } = database();
    const name = `Same ${uniq("name")}`;
    const emails = Array.from({ length: 6 }, (_, i) => `${uniq(`same${i}`)}@example.test`);
    const options = { ip: uniq("ip"), limits: TEST_ABUSE_LIMITS, verifyTtlHours: 1 };
    await Promise.all(
      emails.map((email) => signUp(db, sharedTestMailer, { email, name, password: "a long password" }, options)),
    );
    const users = await db.user.findMany({ where: { email: { in: emails } } });
    expect(users).toHaveLength(6);
    for (const u of users) {
      const personal = await db.workspace.findUnique({
        where: { personalForUserId: u.id },
        include: { members: true },
      });
      expect(personal?.members).toEqual([expect.objectContaining({ userId: u.id, role: "owner" })]);
    }
  });

  it("parallel sign-ups with one email: one account, every answer 'check your mail', no account without a workspace", async () => {
    const { db } = database();
    const email = `${uniq("twice")}@example.test`;
    const options = { ip: uniq("ip"), limits: TEST_ABUSE_LIMITS, verifyTtlHours: 1 };
    const outcomes = await Promise.all(
      Array.from({ length: 4 }, () =>
        signUp(db, sharedTestMailer, { email, name: "Twice", password: "a long password" }, options).then(
          (answer) => JSON.stringify(answer),
          (e: { appCode?: string }) => e.appCode ?? String(e),
        ),
      ),
    );
    // Sign-up never says whether the address was taken (server/services/auth/users.ts).
    expect(outcomes).toEqual(Array(4).fill(JSON.stringify({ status: "check-your-mail" })));
    expect(await db.user.count({ where: { email } })).toBe(1);
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    expect(await db.workspace.count({ where: { personalForUserId: user.id } })).toBe(1);
  });

  it("parallel workspace.create with one name and parallel invitation.accept never 500", async () => {
    const { db } = database();
    const owner = await seedUser(db);
    const api = callerFor(db, owner);
    const name = `Lab ${uniq("x")}`;
    const made = await Promise.all(Array.from({ length: 6 }, () => api.workspace.create({ name })));
    expect(new Set(made.map((w) => w.slug)).size).toBe(6);
    const { token } = await api.invitation.create({ slug: made[0]!.slug, role: "editor" });
    const joiner = await seedUser(db);
    const accepted = await Promise.all(
      Array.from({ length: 5 }, () => callerFor(db, joiner).invitation.accept({ token })),
    );
    expect(accepted.every((a) => a.slug === made[0]!.slug && a.role === "editor")).toBe(true);
    expect(await db.membership.count({ where: { workspaceId: made[0]!.id, userId: joiner.id } })).toBe(1);
  });

  it("an oversized subgraph state is a 400; a generous one is saved", async () => {
    const { db } = database();
    const owner = await seedUser(db);
    const ws = await seedWorkspace(db, { owner: { user: owner, role: "owner" } });
    const api = callerFor(db, owner);
    const { importGraph } = await import("~/server/services/graphs");
    const { testStore } = await import("./helpers/seed");
    const g = await importGraph(db, testStore, { actor: owner, slug: ws.slug, body: MEOW, maxBytes: 1e9 });
    const pins = (n: number, len: number) => Array.from({ length: n }, (_, i) => `${i}_`.padEnd(len, "x"));
    const huge = { pinnedIds: pins(5000, 200), clerps: pins(5000, 200).map((id) => [id, "y".repeat(500)]) };
    const error = await api.subgraph
      .create({ graphId: g.id, name: "huge", state: huge as never })
      .catch((e: { code: string; message: string }) => e);
    expect(error).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/^state: at most 256 KB/) });
    expect(await db.subgraph.count({ where: { graphId: g.id } })).toBe(0);
    const generous = { pinnedIds: pins(1000, 20), supernodes: [["group", ...pins(50, 20)]] };
    await expect(api.subgraph.create({ graphId: g.id, name: "ok", state: generous as never })).resolves.toMatchObject({
      name: "ok",
    });
  });
});
