/**
 * Job kinds on a real database: discriminated payloads validated at enqueue, priorities (interactive before
 * batch), system jobs outside every quota, results that are not graphs (JSON on the job, bytes in the
 * BlobStore), retries decided by typed codes, quotas per user and per workspace, the history's filters.
 */
import { expect, it } from "vitest";
import type { Db } from "~/server/db/client";
import { enqueueJob } from "~/server/jobs/jobs";
import { announceModels, claimJob, completeJob, failJob } from "~/server/jobs/worker-protocol";
import { describeEachDatabase } from "./helpers/databases";
import { callerFor, seedUser, seedWorkspace, testStore, uniq } from "./helpers/seed";

async function setUp(db: Db) {
  const model = uniq("model");
  await announceModels(db, [{ id: model, description: "tiny", nLayers: 4, maxTokens: 128 }]);
  const owner = await seedUser(db);
  const ws = await seedWorkspace(db, { owner: { user: owner, role: "owner" } });
  return { model, owner, ws, api: callerFor(db, owner) };
}

const previewPayload = { v: 1, kind: "preview", prompt: "In the beginning", topK: 3 } as const;
const previewResult = { tokenIds: [0, 5], top: [{ id: 7, token: " God", prob: 0.5, logit: 3.2 }] };

describeEachDatabase("job kinds", (database) => {
  it("claims take the highest priority first (preview > intervene > attribute > dashboards), then the oldest", async () => {
    const { db } = database();
    const { model, owner, ws, api } = await setUp(db);
    const dashboards = await enqueueJob(db, {
      payload: {
        v: 1,
        kind: "dashboards",
        corpus: "kjv",
        transcoderSetId: "",
        layers: null,
        maxDocs: null,
        maxWindows: null,
      },
      modelId: model,
      workspaceId: null,
      createdById: null,
    });
    const first = await api.job.generate({ slug: ws.slug, modelId: model, prompt: "first" });
    const second = await api.job.generate({ slug: ws.slug, modelId: model, prompt: "second" });
    const preview = await enqueueJob(db, {
      payload: previewPayload,
      modelId: model,
      workspaceId: ws.id,
      createdById: owner.id,
    });
    const kinds = ["attribute", "preview", "dashboards"] as const;
    const order: string[] = [];
    for (let i = 0; i < 4; i++)
      order.push((await claimJob(db, { workerId: "w", modelIds: [model], kinds: [...kinds] }))!.id);
    expect(order).toEqual([preview.id, first.id, second.id, dashboards.id]);
    // A worker that runs only some kinds gets only those.
    const other = await setUp(db);
    await api.job.generate({ slug: ws.slug, modelId: other.model, prompt: "x" });
    expect(await claimJob(db, { workerId: "w", modelIds: [other.model], kinds: ["preview"] })).toBeNull();
  });

  it("a system job has no workspace, counts in no quota, and is visible to no user", async () => {
    const { db } = database();
    const { model, ws, api } = await setUp(db);
    const system = [];
    for (let i = 0; i < 6; i++)
      system.push(
        await enqueueJob(db, {
          payload: {
            v: 1,
            kind: "dashboards",
            corpus: `c${i}`,
            transcoderSetId: "",
            layers: [0, 1],
            maxDocs: 10,
            maxWindows: null,
          },
          modelId: model,
          workspaceId: null,
          createdById: null,
        }),
      );
    // Six system jobs queued, yet the user's five still fit.
    for (let i = 0; i < 5; i++) await api.job.generate({ slug: ws.slug, modelId: model, prompt: `p${i}` });
    await expect(api.job.generate({ slug: ws.slug, modelId: model, prompt: "six" })).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
    });
    await expect(api.job.get({ jobId: system[0]!.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await api.job.list({ slug: ws.slug })).map((j) => j.kind)).toEqual(Array(5).fill("attribute"));
    expect(await db.job.findUniqueOrThrow({ where: { id: system[0]!.id } })).toMatchObject({
      isSystem: true,
      workspaceId: null,
      priority: 10,
    });
  });

  it("payloads are validated per kind at enqueue, naming the field", async () => {
    const { db } = database();
    const { model, owner, ws } = await setUp(db);
    const bad = [
      { v: 1, kind: "preview", prompt: "", topK: 3 },
      { v: 1, kind: "preview", prompt: "x", topK: 99 },
      { v: 2, kind: "preview", prompt: "x" },
      { v: 1, kind: "intervene", graphId: "g", prompt: "x", targets: [], op: "ablate" },
      { v: 1, kind: "no-such-kind" },
    ];
    for (const payload of bad) {
      await expect(
        enqueueJob(db, { payload: payload as never, modelId: model, workspaceId: ws.id, createdById: owner.id }),
      ).rejects.toThrow(/prompt|topK|v|targets|kind/);
    }
    expect(await db.job.count({ where: { workspaceId: ws.id } })).toBe(0);
  });

  // (The dashboards kind's parts-and-manifest result: test/integration/feature-dashboards.test.ts.)
  it("a JSON result is validated and kept on the job", async () => {
    const { db } = database();
    const { model, owner, ws } = await setUp(db);
    const preview = await enqueueJob(db, {
      payload: previewPayload,
      modelId: model,
      workspaceId: ws.id,
      createdById: owner.id,
    });
    await claimJob(db, { workerId: "w", modelIds: [model], kinds: ["preview"] });
    await expect(
      completeJob(db, testStore, {
        jobId: preview.id,
        workerId: "w",
        body: Buffer.from('{"tokenIds":"x"}'),
        maxBytes: 1e6,
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/^result\.tokenIds/) });
    expect(await db.job.findUniqueOrThrow({ where: { id: preview.id } })).toMatchObject({
      status: "failed",
      errorCode: "RESULT_REJECTED",
    });

    const again = await enqueueJob(db, {
      payload: previewPayload,
      modelId: model,
      workspaceId: ws.id,
      createdById: owner.id,
    });
    await claimJob(db, { workerId: "w", modelIds: [model], kinds: ["preview"] });
    await completeJob(db, testStore, {
      jobId: again.id,
      workerId: "w",
      body: Buffer.from(JSON.stringify(previewResult)),
      maxBytes: 1e6,
    });
    const row = await db.job.findUniqueOrThrow({ where: { id: again.id } });
    expect(row.status).toBe("done");
    expect(JSON.parse(row.resultJson!)).toEqual(previewResult);
  });

  const retryCases = [
    { code: "INTERNAL", then: "queued", attemptsAfter: 1 },
    { code: "OUT_OF_MEMORY", then: "queued", attemptsAfter: 1 },
    { code: "SHUTTING_DOWN", then: "queued", attemptsAfter: 0 },
    { code: "BAD_INPUT", then: "failed", attemptsAfter: 1 },
    { code: "UNSUPPORTED", then: "failed", attemptsAfter: 1 },
  ] as const;
  for (const c of retryCases) {
    it(`a failure with code ${c.code} → ${c.then}, attempts ${c.attemptsAfter} (decided by the code, whatever the message)`, async () => {
      const { db } = database();
      const { model, ws, api } = await setUp(db);
      const { id } = await api.job.generate({ slug: ws.slug, modelId: model, prompt: "x" });
      await claimJob(db, { workerId: "w", modelIds: [model] });
      // The message says "prompt too long" every time: only the code decides.
      expect(await failJob(db, { jobId: id, workerId: "w", code: c.code, error: "prompt too long" })).toEqual({
        status: c.then,
      });
      expect(await db.job.findUniqueOrThrow({ where: { id } })).toMatchObject({
        status: c.then,
        errorCode: c.code,
        attempts: c.attemptsAfter,
      });
    });
  }

  it("a released (SHUTTING_DOWN) job never runs out of attempts; an INTERNAL one fails after maxAttempts", async () => {
    const { db } = database();
    const { model, ws, api } = await setUp(db);
    const a = await api.job.generate({ slug: ws.slug, modelId: model, prompt: "released" });
    for (let i = 0; i < 5; i++) {
      await claimJob(db, { workerId: "w", modelIds: [model] });
      await failJob(db, { jobId: a.id, workerId: "w", code: "SHUTTING_DOWN", error: "bye" });
    }
    expect((await api.job.get({ jobId: a.id })).status).toBe("queued");
    await db.job.update({ where: { id: a.id }, data: { status: "cancelled" } });
    const b = await api.job.generate({ slug: ws.slug, modelId: model, prompt: "broken" });
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      await claimJob(db, { workerId: "w", modelIds: [model] });
      statuses.push((await failJob(db, { jobId: b.id, workerId: "w", code: "INTERNAL", error: "boom" })).status);
    }
    expect(statuses).toEqual(["queued", "queued", "failed"]);
  });

  it("the default title is the prompt; the workspace quota counts every member; history filters", async () => {
    const { db } = database();
    const { model, owner, ws, api } = await setUp(db);
    const { id } = await api.job.generate({ slug: ws.slug, modelId: model, prompt: "  The opposite of\nhot is " });
    const payload = JSON.parse((await db.job.findUniqueOrThrow({ where: { id } })).payload);
    expect(payload.title).toBe("The opposite of hot is");

    // Workspace quota (20 by default): five members with four jobs each fill it.
    const members = await Promise.all([1, 2, 3, 4].map(() => seedUser(db)));
    for (const m of members) await db.membership.create({ data: { workspaceId: ws.id, userId: m.id, role: "editor" } });
    for (let i = 0; i < 3; i++) await api.job.generate({ slug: ws.slug, modelId: model, prompt: `o${i}` });
    for (const m of members)
      for (let i = 0; i < 4; i++)
        await callerFor(db, m).job.generate({ slug: ws.slug, modelId: model, prompt: `${m.name}-${i}` });
    await expect(api.job.generate({ slug: ws.slug, modelId: model, prompt: "over" })).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
      message: expect.stringMatching(/workspace/),
    });

    await api.job.cancel({ jobId: id });
    expect((await api.job.list({ slug: ws.slug, filters: { status: "cancelled" } })).map((j) => j.id)).toEqual([id]);
    expect(await api.job.list({ slug: ws.slug, filters: { isMine: true } })).toHaveLength(4);
    const page1 = await api.job.list({ slug: ws.slug, filters: { limit: 15 } });
    const page2 = await api.job.list({ slug: ws.slug, filters: { limit: 15, cursor: page1.at(-1)!.id } });
    expect(page1).toHaveLength(15);
    expect(new Set([...page1, ...page2].map((j) => j.id)).size).toBe(20);
    expect(page1.every((j) => j.createdById !== null)).toBe(true);
    void owner;
  });
});
