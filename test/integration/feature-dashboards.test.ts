/**
 * Feature dashboards in the app, end to end: a real worker process (the demo model, CPU) claims the system
 * `dashboards` job, uploads each layer as parts within the app's upload limit (set small here, so layers
 * split), completes with the manifest; the dashboard route then serves one feature from one range read,
 * with version caching, 404s and the read check. Neuronpedia feature-details imports are served the same way.
 */
process.env.WORKER_TOKEN = "dashboards-test-bootstrap-token-0123456789";
process.env.ADMIN_EMAILS = "dashboards-admin@example.test";

import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv";
import { afterAll, beforeAll, expect, it } from "vitest";
import { featureDashboardResponse, IMMUTABLE_CACHE, REVALIDATE_CACHE } from "~/server/http/feature-dashboard-route";
import { dashboardsJobId, enqueueDashboardsJob } from "~/server/services/feature-dashboards";
import { ZDashboardManifestSchema } from "@circuitboard/shared/jobs/dashboard-manifest";
import { INTEROP_SCHEMAS_DIR } from "../fixtures";
import { describeEachDatabase } from "./helpers/databases";
import { codeOf } from "./helpers/outcome";
import { callerFor, seedUser, testStore, uniq } from "./helpers/seed";
import { startWorkerApiServer } from "./helpers/worker-api-server";
import { eventually, startWorkerProcess, type WorkerProcess } from "./helpers/worker-process";

const DEMO_SET = "circuitboard-demo-gpt2-transcoders";
const PART_LIMIT_BYTES = 96 * 1024; // the app's upload limit in this suite: a demo layer needs several parts

const get = (query: Record<string, string | number>, headers: Record<string, string> = {}) =>
  new Request(
    `http://app.test/api/feature-dashboard?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}`,
    { headers },
  );

describeEachDatabase("feature dashboards", (database) => {
  let server: Awaited<ReturnType<typeof startWorkerApiServer>>;
  let worker: WorkerProcess | undefined;
  beforeAll(async () => {
    server = await startWorkerApiServer(database().db, testStore, undefined, PART_LIMIT_BYTES);
  });
  afterAll(async () => {
    if (worker && worker.child.exitCode === null) worker.child.kill("SIGKILL");
    await worker?.exited;
    await server.close();
  });

  it("enqueueing is idempotent: one job per (model, set, corpus), a system job at the kind's low priority", async () => {
    const { db } = database();
    const o = { modelId: uniq("nobody-serves"), transcoderSetId: DEMO_SET, corpus: "kjv-heldout" };
    const [a, b] = await Promise.all([enqueueDashboardsJob(db, o), enqueueDashboardsJob(db, o)]);
    expect(a).toMatchObject({ status: "queued", jobId: dashboardsJobId(o) });
    expect(b).toMatchObject({ status: "queued", jobId: dashboardsJobId(o) });
    expect(await enqueueDashboardsJob(db, o)).toEqual({ status: "queued", jobId: dashboardsJobId(o), isNew: false });
    const jobs = await db.job.findMany({ where: { modelId: o.modelId } });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({
      kind: "dashboards",
      isSystem: true,
      workspaceId: null,
      createdById: null,
      priority: 10,
    });
  });

  it("a real worker computes the demo model's dashboards, uploads them layer by layer within the limit, and the route serves one feature", async () => {
    const { db } = database();
    const modelId = uniq("demo");
    worker = startWorkerProcess({
      id: uniq("dash-worker"),
      url: server.url,
      token: process.env.WORKER_TOKEN!,
      modelId,
    });
    const queued = await enqueueDashboardsJob(db, {
      modelId,
      transcoderSetId: DEMO_SET,
      corpus: "kjv-heldout",
      maxWindows: 12,
    });
    expect(queued.status).toBe("queued");
    const jobId = (queued as { jobId: string }).jobId;
    const job = await eventually(
      async () => {
        const j = await db.job.findUniqueOrThrow({ where: { id: jobId } });
        return j.status === "done" || j.status === "failed" ? j : undefined;
      },
      180_000,
      "the dashboards job finished",
    );
    expect(job.status, `${job.error}\n${worker.log().slice(-3000)}`).toBe("done");

    const set = await db.featureDashboardSet.findFirstOrThrow({ where: { modelId } });
    expect(set).toMatchObject({
      id: jobId,
      transcoderSetId: DEMO_SET,
      corpus: "kjv-heldout",
      source: "computed",
      nLayers: 4,
    });
    const manifest = ZDashboardManifestSchema.parse(
      JSON.parse(Buffer.from((await testStore.get(set.indexKey!))!).toString()),
    );
    const parts = manifest.layers.flatMap((l) => l.parts);
    expect(manifest.layers.map((l) => l.layer).sort()).toEqual([0, 1, 2, 3]);
    expect(parts.length).toBeGreaterThan(4); // split: no layer fit one upload
    for (const p of parts) {
      const bytes = await testStore.get(`dashboards/${jobId}/${p.name}`);
      expect(bytes!.byteLength).toBe(p.offsets.at(-1));
      expect(bytes!.byteLength).toBeLessThanOrEqual(PART_LIMIT_BYTES);
    }

    // A feature in a later part of layer 2: one range read of that part.
    const user = await seedUser(db);
    const c = { db, store: testStore, user };
    const feature = manifest.layers.find((l) => l.layer === 2)!.parts[1]!.firstFeature + 1;
    const q = { model: modelId, set: DEMO_SET, layer: 2, index: feature };
    const res = await featureDashboardResponse(get(q), c);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe(REVALIDATE_CACHE);
    expect(res.headers.get("etag")).toBe(`"${set.id}"`);
    const record = (await res.json()) as {
      layer: number;
      feature: number;
      examples_quantiles: unknown[];
      histogram: number[];
    };
    expect(record).toMatchObject({ layer: 2, feature });
    expect(Array.isArray(record.examples_quantiles)).toBe(true);
    expect(Array.isArray(record.histogram)).toBe(true);

    const pinned = await featureDashboardResponse(get({ ...q, v: set.id }), c);
    expect(pinned.headers.get("cache-control")).toBe(IMMUTABLE_CACHE);
    const again = await featureDashboardResponse(get(q, { "if-none-match": `"${set.id}"` }), c);
    expect(again.status).toBe(304);

    const refusals = [
      {
        name: "a feature past the set's size",
        query: { ...q, index: manifest.dTranscoder },
        user,
        code: "NO_DASHBOARD_FEATURE",
      },
      { name: "a layer the set lacks", query: { ...q, layer: 9 }, user, code: "NO_DASHBOARD_FEATURE" },
      { name: "a set nobody computed", query: { ...q, set: "nobody/computed-this" }, user, code: "NO_DASHBOARDS" },
      { name: "signed out", query: q, user: null, code: "UNAUTHORIZED" },
      { name: "a negative index", query: { ...q, index: -1 }, user, code: "BAD_REQUEST" },
    ];
    for (const r of refusals) {
      const error = await featureDashboardResponse(get(r.query), { ...c, user: r.user }).catch((e: unknown) => e);
      expect({ name: r.name, code: (error as { appCode?: string }).appCode }).toEqual({ name: r.name, code: r.code });
    }

    // Computed: a second enqueue queues nothing.
    expect(await enqueueDashboardsJob(db, { modelId, transcoderSetId: DEMO_SET, corpus: "kjv-heldout" })).toEqual({
      status: "computed",
      setId: set.id,
    });
  }, 240_000);

  // A record in the shape of Neuronpedia's feature-details schema (its required fields and the logits).
  const neuronpediaRecord = (index: number) => ({
    index,
    examples_quantiles: [
      {
        quantile_name: "Top activations",
        examples: [{ tokens: ["In", " the", " beginning"], tokens_acts_list: [0, 1.5, 3.25] }],
      },
    ],
    top_logits: [" God", " heaven"],
    bottom_logits: [" the"],
  });

  it.skipIf(!INTEROP_SCHEMAS_DIR)(
    "the import's sample record validates against the fixture's feature-details schema",
    () => {
      const schema = JSON.parse(
        readFileSync(join(INTEROP_SCHEMAS_DIR!, "neuronpedia__feature-details-schema.json"), "utf8"),
      );
      const validate = new Ajv({ strict: false }).compile(schema);
      expect(validate(neuronpediaRecord(7)), JSON.stringify(validate.errors)).toBe(true);
    },
  );

  it("a site admin imports Neuronpedia feature-details JSON; the route serves it; others are refused; bad input is rejected", async () => {
    const { db } = database();
    const admin = await seedUser(db, "dashboards-admin");
    const other = await seedUser(db);
    const modelId = uniq("gemma");
    const input = {
      modelId,
      transcoderSetId: "neuronpedia:gemma/gemmascope-16k",
      layer: 3,
      features: [neuronpediaRecord(7)],
    };
    expect(await codeOf(callerFor(db, other).featureDashboard.import(input))).toBe("FORBIDDEN");
    expect(await db.featureDashboardSet.count({ where: { modelId } })).toBe(0);

    const out = await callerFor(db, admin).featureDashboard.import(input);
    expect(out.imported).toBe(1);
    const res = await featureDashboardResponse(
      get({ model: modelId, set: input.transcoderSetId, layer: 3, index: 7 }),
      { db, store: testStore, user: other },
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      layer: 3,
      feature: 7,
      top_logits: [" God", " heaven"],
      source: "neuronpedia",
    });
    const version = res.headers.get("x-dashboard-version")!;

    // Re-importing the feature replaces it under a new version (the old one stays immutable in caches).
    await new Promise((r) => setTimeout(r, 5));
    await callerFor(db, admin).featureDashboard.import({
      ...input,
      features: [{ ...neuronpediaRecord(7), top_logits: [" Lord"] }],
    });
    const replaced = await featureDashboardResponse(
      get({ model: modelId, set: input.transcoderSetId, layer: 3, index: 7 }),
      { db, store: testStore, user: other },
    );
    expect(replaced.headers.get("x-dashboard-version")).not.toBe(version);
    expect(await replaced.json()).toMatchObject({ top_logits: [" Lord"] });

    const bad = [
      {
        name: "tokens and activations of different lengths",
        features: [
          {
            ...neuronpediaRecord(1),
            examples_quantiles: [{ quantile_name: "x", examples: [{ tokens: ["a"], tokens_acts_list: [] }] }],
          },
        ],
      },
      { name: "no features", features: [] },
      { name: "too many features", features: Array.from({ length: 501 }, (_, i) => neuronpediaRecord(i)) },
      { name: "no examples_quantiles", features: [{ index: 1 }] },
    ];
    for (const b of bad) {
      const code = await codeOf(
        callerFor(db, admin).featureDashboard.import({ ...input, features: b.features as never }),
      );
      expect({ name: b.name, code }).toEqual({ name: b.name, code: "BAD_REQUEST" });
    }
  });
});
