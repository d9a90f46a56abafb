/**
 * Real worker processes (the demo model on CPU) against the real worker API over HTTP and a real database,
 * with a short lease: a worker killed with SIGKILL mid-job loses nothing and nothing runs twice; SIGTERM
 * finishes or releases; a cancel stops the run at its next batch; a wrong or revoked token gets 401.
 */
process.env.JOB_LEASE_SECONDS = "4"; // read lazily by env(), so set before any call
process.env.WORKER_TOKEN = "fleet-test-bootstrap-token-0123456789";
process.env.ADMIN_EMAILS = "fleet-admin@example.test";

import { afterAll, beforeAll, expect, it } from "vitest";
import type { Db } from "~/server/db/client";
import { defaultTitleOf } from "~/server/jobs/jobs";
import { createWorkerToken, revokeWorkerToken } from "~/server/jobs/worker-tokens";
import { describeEachDatabase } from "./helpers/databases";
import { callerFor, seedUser, seedWorkspace, testStore, uniq } from "./helpers/seed";
import { startWorkerApiServer } from "./helpers/worker-api-server";
import { eventually, startWorkerProcess, type WorkerProcess } from "./helpers/worker-process";

const TOKEN = process.env.WORKER_TOKEN!;
// Small enough to be quick on CPU, with several batches so there is a "mid-job" to kill in.
// How long a worker may take to reach a state. Generous: the machine may be running other suites beside this one,
// and a worker that starts, loads the demo model and reports its first rows took over a minute at load 11.
const WAIT_MS = 180_000;

const PARAMS = { maxFeatureNodes: 400, batchSize: 8 };

// Long enough (60 tokens, thousands of active features) that a job is still running when the test acts on it,
// however fast the engine gets: a short prompt finished before its first row report reached the database.
const LONG_PROMPT =
  "And God said, Let there be light: and there was light. And God saw the light, that it was good: and God divided the light from the darkness. And God called the light Day, and the darkness he called Night. And the evening and the morning were the first";

describeEachDatabase("worker fleet", (database) => {
  let server: Awaited<ReturnType<typeof startWorkerApiServer>>;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    server = await startWorkerApiServer(database().db, testStore);
  });
  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill("SIGKILL");
    await Promise.all(workers.map((w) => w.exited));
    await server.close();
  });
  const start = (o: Omit<Parameters<typeof startWorkerProcess>[0], "url" | "token"> & { token?: string }) => {
    const w = startWorkerProcess({ url: server.url, token: TOKEN, ...o });
    workers.push(w);
    return w;
  };
  async function setUp(db: Db) {
    const owner = await seedUser(db);
    const ws = await seedWorkspace(db, { owner: { user: owner, role: "owner" } });
    return { owner, ws, api: callerFor(db, owner) };
  }

  it("two workers, ten jobs, one SIGKILLed mid-job: all ten finish, each exactly once (one graph per job, attempts counted)", async () => {
    const { db } = database();
    const { ws, api } = await setUp(db);
    const modelId = uniq("demo");
    const a = start({ id: uniq("a"), modelId });
    const b = start({ id: uniq("b"), modelId });
    await eventually(
      async () => (await db.workerModel.findUnique({ where: { id: modelId } })) ?? undefined,
      WAIT_MS,
      "the model announced",
    );
    // Ten at once: two users (five each, the per-user quota).
    const other = await seedUser(db);
    await db.membership.create({ data: { workspaceId: ws.id, userId: other.id, role: "editor" } });
    const jobIds: string[] = [];
    for (let i = 0; i < 10; i++) {
      const caller = i % 2 === 0 ? api : callerFor(db, other);
      jobIds.push(
        (await caller.job.generate({ slug: ws.slug, modelId, prompt: `${LONG_PROMPT} ${i}`, params: PARAMS })).id,
      );
    }
    // Kill A while it holds a job and has reported rows of it: frozen first (SIGSTOP), so the job it
    // holds at the moment of death is known for certain.
    let victim;
    for (;;) {
      await eventually(
        async () => (await db.job.count({ where: { workerId: a.id, status: "running", progressDone: { gt: 0 } } })) > 0,
        WAIT_MS,
        "worker A mid-job",
      );
      a.child.kill("SIGSTOP");
      victim = await db.job.findFirst({ where: { workerId: a.id, status: "running" } });
      if (victim) break;
      a.child.kill("SIGCONT"); // it finished that job in the meantime: try the next one
    }
    a.child.kill("SIGKILL");
    await a.exited;
    await eventually(
      async () => (await db.job.count({ where: { id: { in: jobIds }, status: "done" } })) === 10,
      120_000,
      "all ten jobs done",
    );
    const jobs = await db.job.findMany({ where: { id: { in: jobIds } } });
    expect(jobs.every((j) => j.status === "done" && j.graphId)).toBe(true);
    expect(new Set(jobs.map((j) => j.graphId)).size).toBe(10);
    const graphs = await db.graph.findMany({ where: { workspaceId: ws.id } });
    expect(graphs).toHaveLength(10); // exactly once: no orphan from the killed attempt
    const killed = jobs.find((j) => j.id === victim.id)!;
    expect(killed.attempts).toBe(2);
    expect(killed.workerId).toBe(b.id);
    expect(graphs.find((g) => g.id === killed.graphId)!.title).toBe(
      defaultTitleOf(`${LONG_PROMPT} ${jobIds.indexOf(victim.id)}`),
    );
    for (const j of jobs) expect(j.attempts).toBeGreaterThanOrEqual(1);
    // Every phase reached the app, short ones included, in order, with when each began.
    for (const j of jobs) {
      const trail = (JSON.parse(j.phaseLog) as [string, number][]).map(([p]) => p);
      expect(trail[0]).toBe("tokenizing");
      expect(trail.slice(-2)).toEqual(["pruning", "uploading"]);
      expect(trail.some((p) => ["attribution", "features"].includes(p))).toBe(true);
    }
    b.child.kill("SIGTERM");
    expect(await b.exited).toBe(0);
  }, 600_000);

  it("SIGTERM: a running job finishes within the grace period; with no grace it is released (no attempt spent)", async () => {
    const { db } = database();
    const { ws, api } = await setUp(db);
    const modelId = uniq("demo");
    const patient = start({ id: uniq("patient"), modelId, graceSeconds: 60 });
    await eventually(
      async () => (await db.workerModel.findUnique({ where: { id: modelId } })) ?? undefined,
      WAIT_MS,
      "model",
    );
    const LONG = { maxFeatureNodes: 1000, batchSize: 8 };
    const first = await api.job.generate({ slug: ws.slug, modelId, prompt: LONG_PROMPT, params: LONG });
    await eventually(
      async () => (await db.job.findFirst({ where: { id: first.id, progressDone: { gt: 0 } } })) ?? undefined,
      WAIT_MS,
      "running",
    );
    patient.child.kill("SIGTERM");
    expect(await patient.exited).toBe(0);
    expect(patient.log()).toMatch(/stopping: 1 running job\(s\) get 60 s to finish[\s\S]*job \S+ done in/);
    expect(await db.job.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({ status: "done", attempts: 1 });

    const hasty = start({ id: uniq("hasty"), modelId, graceSeconds: 0 });
    const second = await api.job.generate({
      slug: ws.slug,
      modelId,
      prompt: `${LONG_PROMPT} day`,
      params: LONG,
    });
    await eventually(
      async () => (await db.job.findFirst({ where: { id: second.id, progressDone: { gt: 0 } } })) ?? undefined,
      WAIT_MS,
      "running",
    );
    hasty.child.kill("SIGTERM");
    expect(await hasty.exited).toBe(0);
    expect(hasty.log()).toMatch(/released in phase \w+ after \d+ of \d+ rows/);
    expect(await db.job.findUniqueOrThrow({ where: { id: second.id } })).toMatchObject({
      status: "queued",
      attempts: 0,
      errorCode: "SHUTTING_DOWN",
      workerId: null,
    });
    await db.job.update({ where: { id: second.id }, data: { status: "cancelled" } });
  }, 480_000);

  it("a cancelled running job stops at its next batch (by the rows the worker reports)", async () => {
    const { db } = database();
    const { ws, api } = await setUp(db);
    const modelId = uniq("demo");
    const w = start({ id: uniq("c"), modelId });
    await eventually(
      async () => (await db.workerModel.findUnique({ where: { id: modelId } })) ?? undefined,
      WAIT_MS,
      "model",
    );
    const { id } = await api.job.generate({
      slug: ws.slug,
      modelId,
      prompt: LONG_PROMPT,
      params: { maxFeatureNodes: 3000, batchSize: 2 },
    });
    await eventually(
      async () => (await db.job.findFirst({ where: { id, progressDone: { gt: 1 } } })) ?? undefined,
      WAIT_MS,
      "rows reported",
    );
    await api.job.cancel({ jobId: id });
    const line = await w.waitForLog(new RegExp(`job ${id}: stopped in phase \\w+ after \\d+ of \\d+ rows`), 30_000);
    const [done, total] = /after (\d+) of (\d+) rows/.exec(line)!.slice(1).map(Number) as [number, number];
    expect(done).toBeLessThan(total); // stopped at a batch boundary, well before the end
    const row = await db.job.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe("cancelled");
    expect(row.graphId).toBeNull();
    expect(await db.graph.count({ where: { workspaceId: ws.id } })).toBe(0);
    w.child.kill("SIGTERM");
    await w.exited;
  }, 360_000);

  it("preview: tokens from the tokenizer the worker announced; next tokens from its preview lane while a long job runs", async () => {
    const { db } = database();
    const { ws, api } = await setUp(db);
    const modelId = uniq("demo");
    const w = start({ id: uniq("p"), modelId });
    await eventually(
      async () =>
        Boolean((await db.workerModel.findUnique({ where: { id: modelId } }))?.tokenizerHash) &&
        w.log().includes("tokenizer"),
      WAIT_MS,
      "model and tokenizer announced",
    );
    await eventually(
      async () => /tokenizer \w+: (sent to the app|the app has it)/.test(w.log()),
      30_000,
      "tokenizer sent",
    ).catch((e: Error) => {
      throw new Error(`${e.message}\n${w.log()}`);
    });
    const t = await api.job.tokenize({ modelId, prompt: "And God said " });
    expect(t.tokens![0]).toMatchObject({ isBos: true, isSpecial: true });
    expect(t.tokens!.map((x) => x.text).join("")).toMatch(/And God said $/);
    expect(t.tokens!.some((x) => x.text === " God")).toBe(true);
    expect(t.warnings).toEqual(["trailing-space"]);

    const long = await api.job.generate({
      slug: ws.slug,
      modelId,
      prompt: LONG_PROMPT,
      params: { maxFeatureNodes: 3000, batchSize: 2 },
    });
    await eventually(
      async () => (await db.job.count({ where: { id: long.id, progressDone: { gt: 0 } } })) > 0,
      WAIT_MS,
      "long job running",
    );
    const p = await api.job.preview({ slug: ws.slug, modelId, prompt: "And God said" });
    expect(p.status).toBe("ok");
    if (p.status !== "ok") return;
    expect(p.top).toHaveLength(10);
    expect(p.top[0]!.prob).toBeGreaterThan(p.top[9]!.prob);
    expect(p.tokenIds).toEqual((await api.job.tokenize({ modelId, prompt: "And God said" })).tokens!.map((x) => x.id));
    expect((await db.job.findUniqueOrThrow({ where: { id: long.id } })).status).toBe("running"); // answered beside it
    expect(await db.job.count({ where: { kind: "preview" } })).toBe(0); // not kept
    await api.job.cancel({ jobId: long.id });
    w.child.kill("SIGTERM");
    await w.exited;
  }, 360_000);

  it("an intervention on a generated graph runs on the worker, is saved with the graph, and opens for another member only", async () => {
    const { db } = database();
    const { ws, api, owner } = await setUp(db);
    const modelId = uniq("demo");
    const w = start({ id: uniq("i"), modelId });
    await eventually(
      async () => (await db.workerModel.findUnique({ where: { id: modelId } })) ?? undefined,
      WAIT_MS,
      "model",
    );
    const { id } = await api.job.generate({ slug: ws.slug, modelId, prompt: "And God said", params: PARAMS });
    const graphId = await eventually(
      async () => (await db.job.findUnique({ where: { id } }))?.graphId ?? undefined,
      WAIT_MS,
      "graph",
    );
    await expect(
      api.intervention.create({ graphId, targets: [{ layer: 99, feature: 5, positions: null }], op: "ablate" }),
    ).resolves.toBeDefined(); // accepted here; the worker refuses the layer as BAD_INPUT
    const made = await api.intervention.create({
      graphId,
      name: "clamp 1/5",
      targets: [{ layer: 1, feature: 5, positions: null }],
      op: "clamp",
      value: 20,
      nGenerate: 4,
    });
    const done = await eventually(
      async () => {
        const r = await api.intervention.get({ interventionId: made.id });
        return r.job.status === "done" ? r : undefined;
      },
      WAIT_MS,
      "intervention done",
    );
    const r = done.result!;
    expect(r.clean.top).toHaveLength(10);
    expect(r.intervened.top).toHaveLength(10);
    expect(r.interventions.every((c) => c.layer === 1 && c.feature === 5 && c.value === 20)).toBe(true);
    expect(r.interventions.map((c) => c.position)).toEqual([1, 2, 3].slice(0, r.tokens.length - 1));
    expect(r.cleanTopAfter.some((t) => Math.abs(t.cleanProb - t.intervenedProb) > 1e-6)).toBe(true);
    expect(r.generation).toMatchObject({ nTokens: 4 });
    const failed = await eventually(
      async () => {
        const list = await api.intervention.list({ graphId });
        const bad = list.find((x) => x.id !== made.id);
        return bad?.job.status === "failed" ? bad : undefined;
      },
      WAIT_MS,
      "bad intervention refused",
    );
    expect(failed.job.error).toMatch(/layer must be in 0–3/);
    expect(
      (
        await db.job.findUniqueOrThrow({
          where: { id: (await db.intervention.findUniqueOrThrow({ where: { id: failed.id } })).jobId },
        })
      ).errorCode,
    ).toBe("BAD_INPUT");

    const member = await seedUser(db);
    await db.membership.create({ data: { workspaceId: ws.id, userId: member.id, role: "viewer" } });
    expect((await callerFor(db, member).intervention.get({ interventionId: made.id })).result).toEqual(r);
    await expect(
      callerFor(db, member).intervention.create({
        graphId,
        targets: [{ layer: 1, feature: 5, positions: null }],
        op: "ablate",
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    const outsider = await seedUser(db);
    await expect(callerFor(db, outsider).intervention.get({ interventionId: made.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(callerFor(db, outsider).intervention.list({ graphId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      api.intervention.create({ graphId, targets: [{ layer: 1, feature: 5, positions: [] }], op: "bogus" as never }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/targets\.0\.positions|op/) });
    void owner;
    w.child.kill("SIGTERM");
    await w.exited;
  }, 360_000);

  it("a wrong or revoked token gets 401 and nothing else; a worker whose token is revoked stops", async () => {
    const { db } = database();
    const admin = await db.user.create({ data: { email: "fleet-admin@example.test", name: "Site admin" } });
    const claim = (token: string) =>
      fetch(`${server.url}/api/worker/claim`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ workerId: "intruder", models: [{ id: "m-401" }] }),
      });
    for (const token of ["wrong-token-wrong-token-wrong", "cbw_not-a-real-token"]) {
      const res = await claim(token);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: "UNAUTHORIZED" } });
    }
    expect(await db.workerModel.findUnique({ where: { id: "m-401" } })).toBeNull(); // nothing else happened
    expect(await db.worker.findUnique({ where: { id: "intruder" } })).toBeNull();

    const { token, id: tokenId } = await createWorkerToken(db, { actor: admin, name: "gpu-1" });
    expect((await db.workerToken.findUniqueOrThrow({ where: { id: tokenId } })).hash).not.toContain(token.slice(4));
    const modelId = uniq("demo");
    const w = start({ id: uniq("named"), modelId, token });
    await eventually(
      async () => (await db.worker.findUnique({ where: { id: w.id } }))?.tokenId === tokenId,
      WAIT_MS,
      "seen with its token",
    );
    await revokeWorkerToken(db, { actor: admin, tokenId });
    expect((await claim(token)).status).toBe(401);
    // The worker's next claim is refused: it stops by itself (exit code 1: it cannot work without a token).
    expect(await w.exited).not.toBe(0);
    expect(w.log()).toMatch(/refused this worker's token/);
  }, 360_000);
});
