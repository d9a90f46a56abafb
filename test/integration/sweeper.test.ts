/**
 * The sweeper on a real database and a real local store: what a crash leaves behind (temporary files,
 * orphaned bodies, raw bodies never compressed) and expired rate-limit rows are cleaned up; anything
 * younger than its grace period, and everything still referenced, stays.
 */
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { sweepOnce } from "~/server/maintenance/sweeper";
import { consumeRateLimit } from "~/server/services/auth/rate-limit";
import { importGraph } from "~/server/services/graphs";
import { LocalBlobStore } from "~/server/storage/local-blob-store";
import { describeEachDatabase } from "./helpers/databases";
import { SMALL_GRAPH } from "./helpers/fixtures";
import { seedUser, seedWorkspace, uniq } from "./helpers/seed";

const HOUR_AGO = new Date(Date.now() - 3600_000);

describeEachDatabase("sweeper", (database) => {
  it("removes temp files, orphans and expired counters; compresses interrupted compressions; keeps the rest", async () => {
    const { db } = database();
    const dir = mkdtempSync(join(tmpdir(), "cb-sweep-"));
    const store = new LocalBlobStore(dir);
    const owner = await seedUser(db);
    const ws = await seedWorkspace(db, { owner: { user: owner, role: "owner" } });
    const kept = await importGraph(db, store, {
      actor: owner,
      slug: ws.slug,
      body: SMALL_GRAPH,
      maxBytes: 1e9,
      compression: "inline",
    });
    // A crash before compression: the row points at the raw body, an hour ago.
    const raw = await importGraph(db, store, {
      actor: owner,
      slug: ws.slug,
      body: SMALL_GRAPH,
      maxBytes: 1e9,
      compression: "inline",
    });
    const rawKey = `graphs/${raw.id}.json`;
    await store.put(rawKey, SMALL_GRAPH);
    await db.graph.update({ where: { id: raw.id }, data: { blobKey: rawKey, createdAt: HOUR_AGO } });
    await store.delete(`${rawKey}.gz`);
    mkdirSync(join(dir, "graphs"), { recursive: true });
    const old = (name: string) => {
      writeFileSync(join(dir, "graphs", name), "x");
      utimesSync(join(dir, "graphs", name), HOUR_AGO, HOUR_AGO);
    };
    old("orphan.json.gz"); // a body whose row was never written
    old("half.json.abc123.tmp"); // a put that never finished
    writeFileSync(join(dir, "graphs", "fresh.json.gz"), "x"); // an upload in flight right now
    const key = `test:${uniq("k")}`;
    await consumeRateLimit(db, { key, max: 5, windowSeconds: 60, now: new Date(Date.now() - 2 * 24 * 3600_000) });

    const report = await sweepOnce(db, store, { longestWindowSeconds: 24 * 3600 });
    expect(report).toMatchObject({ temporaryFiles: 1, compressed: 1, orphanBodies: 1 });
    expect(report.rateLimits).toBeGreaterThanOrEqual(1);
    expect(await db.rateLimit.findUnique({ where: { key } })).toBeNull();
    expect((await db.graph.findUniqueOrThrow({ where: { id: raw.id } })).blobKey).toBe(`${rawKey}.gz`);
    expect(await store.has(`${rawKey}.gz`)).toBe(true);
    expect(await store.has(rawKey)).toBe(false);
    expect(await store.has(`graphs/${kept.id}.json.gz`)).toBe(true);
    expect(await store.has("graphs/fresh.json.gz")).toBe(true);
    expect(await store.has("graphs/orphan.json.gz")).toBe(false);
  });
});
