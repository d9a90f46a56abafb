/**
 * The job queue on a real database: enqueue → claim with a lease → heartbeat → complete / fail, and the
 * promises that matter when workers die or race: no job is lost, no job is held twice.
 */
import { expect, it } from "vitest";
import type { Db } from "~/server/db/client";
import { announceModels, claimJob, completeJob, failJob, heartbeatJob } from "~/server/jobs/worker-protocol";
import { describeEachDatabase } from "./helpers/databases";
import { SMALL_GRAPH } from "./helpers/fixtures";
import { callerFor, seedUser, seedWorkspace, testStore, uniq } from "./helpers/seed";

const MEOW = SMALL_GRAPH;

async function setUp(db: Db) {
  const model = uniq("model");
  await announceModels(db, [{ id: model, description: "tiny", nLayers: 4, maxTokens: 128 }]);
  const owner = await seedUser(db);
  const ws = await seedWorkspace(db, { owner: { user: owner, role: "owner" } });
  const api = callerFor(db, owner);
  const enqueue = (prompt = "The cat sat on the") => api.job.generate({ slug: ws.slug, modelId: model, prompt });
  return { model, owner, ws, api, enqueue };
}

/** Moves a job's lease into the past, as if its worker had stopped heartbeating a while ago. */
const expireLease = (db: Db, id: string) =>
  db.job.update({ where: { id }, data: { leaseExpiresAt: new Date(Date.now() - 1000) } });

describeEachDatabase("jobs", (database) => {
  it("a generated graph goes queued → running → done and lands in the workspace as 'generated'", async () => {
    const { db } = database();
    const { model, api, enqueue, ws } = await setUp(db);
    const { id } = await enqueue();
    expect((await api.job.get({ jobId: id })).status).toBe("queued");
    const claimed = await claimJob(db, { workerId: "w1", modelIds: [model] });
    expect(claimed).toMatchObject({
      id,
      attempt: 1,
      payload: { prompt: "The cat sat on the", params: { maxNLogits: 10, nodeThreshold: 0.8 } },
    });
    await heartbeatJob(db, { jobId: id, workerId: "w1", phase: "feature rows", progress: 0.5 });
    expect(await api.job.get({ jobId: id })).toMatchObject({ status: "running", phase: "feature rows", progress: 0.5 });
    const { graphId } = await completeJob(db, testStore, { jobId: id, workerId: "w1", body: MEOW, maxBytes: 1e9 });
    expect(await api.job.get({ jobId: id })).toMatchObject({ status: "done", graphId, progress: 1 });
    const listed = await api.graph.list({ slug: ws.slug });
    expect(listed).toEqual([expect.objectContaining({ id: graphId, source: "generated" })]);
  });

  it("two workers claiming at once never get the same job", async () => {
    const { db } = database();
    const { model, enqueue } = await setUp(db);
    const ids = new Set([(await enqueue("a")).id, (await enqueue("b")).id, (await enqueue("c")).id]);
    const claims = await Promise.all(
      ["w1", "w2", "w3", "w4"].map((workerId) => claimJob(db, { workerId, modelIds: [model] })),
    );
    const got = claims.filter((c) => c !== null).map((c) => c!.id);
    expect(new Set(got).size).toBe(got.length);
    expect(new Set(got)).toEqual(ids);
  });

  it("a worker that dies loses no job: the lease expires, another worker takes it; after maxAttempts it fails", async () => {
    const { db } = database();
    const { model, api, enqueue } = await setUp(db);
    const { id } = await enqueue();
    expect((await claimJob(db, { workerId: "dies-1", modelIds: [model] }))?.id).toBe(id);
    expect(await claimJob(db, { workerId: "w2", modelIds: [model] })).toBeNull(); // lease still held
    await expireLease(db, id);
    expect(await claimJob(db, { workerId: "dies-2", modelIds: [model] })).toMatchObject({ id, attempt: 2 });
    // The first worker comes back: it no longer holds the job.
    await expect(heartbeatJob(db, { jobId: id, workerId: "dies-1", phase: "x", progress: 0.1 })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    await expireLease(db, id);
    expect(await claimJob(db, { workerId: "dies-3", modelIds: [model] })).toMatchObject({ id, attempt: 3 });
    await expireLease(db, id);
    expect(await claimJob(db, { workerId: "w4", modelIds: [model] })).toBeNull();
    expect(await api.job.get({ jobId: id })).toMatchObject({
      status: "failed",
      error: expect.stringMatching(/stopped responding on all 3 attempts/),
    });
  });

  it("failures: retryable goes back to the queue, permanent fails; a bad graph upload fails the job with the reason", async () => {
    const { db } = database();
    const { model, api, enqueue } = await setUp(db);
    const { id } = await enqueue();
    await claimJob(db, { workerId: "w1", modelIds: [model] });
    expect(await failJob(db, { jobId: id, workerId: "w1", error: "CUDA out of memory", isRetryable: true })).toEqual({
      status: "queued",
    });
    await claimJob(db, { workerId: "w1", modelIds: [model] });
    expect(
      await failJob(db, { jobId: id, workerId: "w1", error: "prompt too long for the model", isRetryable: false }),
    ).toEqual({ status: "failed" });
    expect(await api.job.get({ jobId: id })).toMatchObject({
      status: "failed",
      error: "prompt too long for the model",
    });

    const second = await enqueue("x");
    await claimJob(db, { workerId: "w1", modelIds: [model] });
    await expect(
      completeJob(db, testStore, { jobId: second.id, workerId: "w1", body: Buffer.from("{}"), maxBytes: 1e9 }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await api.job.get({ jobId: second.id })).toMatchObject({
      status: "failed",
      error: expect.stringMatching(/Not a readable graph file/),
    });
  });

  it("cancel stops the worker at its next heartbeat; models no worker serves are refused; per-user limit", async () => {
    const { db } = database();
    const { model, api, enqueue, ws } = await setUp(db);
    const { id } = await enqueue();
    await claimJob(db, { workerId: "w1", modelIds: [model] });
    await api.job.cancel({ jobId: id });
    await expect(heartbeatJob(db, { jobId: id, workerId: "w1", phase: "x", progress: 0.2 })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    await expect(api.job.cancel({ jobId: id })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(api.job.generate({ slug: ws.slug, modelId: "no-such-model", prompt: "x" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/^modelId: no worker/),
    });
    await expect(
      api.job.generate({ slug: ws.slug, modelId: model, prompt: "x", params: { nodeThreshold: 2 } as never }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/nodeThreshold/),
    });
    for (let i = 0; i < 5; i++) await enqueue(`p${i}`);
    await expect(enqueue("one too many")).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
  });
});
