/**
 * Feature labels on both databases: the occurrence index written at import (and by the backfill), a file's
 * labels as import proposals in the importing workspace's scope, proposals and votes (one per user, also when
 * two requests race), the Wilson-ranked shown label in a second graph and its export, hiding, scopes (a
 * non-member sees none of a private workspace's labels, votes, occurrences or graphs), search and the queue.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { featurePagePath } from "@circuitboard/shared/graph-format";
import type { Db } from "~/server/db/client";
import { exportGraphFile, importGraph } from "~/server/services/graphs";
import { backfillOccurrences } from "~/server/services/labels/occurrences";
import { shownLabelsForGraph } from "~/server/services/labels/shown-labels";
import { describeEachDatabase } from "./helpers/databases";
import { INTEROP_GRAPHS_DIR } from "../fixtures";
import { SMALL_GRAPH } from "./helpers/fixtures";
import { codeOf } from "./helpers/outcome";
import { callerFor, seedUser, seedWorkspace, testStore, uniq } from "./helpers/seed";

async function world(db: Db) {
  // Each world its own model: public labels of one test never reach another's features.
  const MODEL = uniq("labels-model");
  const [owner, admin, viewer, outsider] = await Promise.all([1, 2, 3, 4].map(() => seedUser(db)));
  const ws = await seedWorkspace(db, {
    owner: { user: owner!, role: "owner" },
    admin: { user: admin!, role: "admin" },
    viewer: { user: viewer!, role: "viewer" },
  });
  const imp = (visibility: "private" | "public" = "private") =>
    importGraph(db, testStore, {
      actor: owner!,
      slug: ws.slug,
      body: SMALL_GRAPH,
      maxBytes: 1e8,
      visibility,
      compression: "inline",
      announced: { modelId: MODEL },
    });
  const first = await imp();
  const second = await imp();
  const occurrence = await db.featureOccurrence.findFirstOrThrow({
    where: { graphId: first.id },
    orderBy: { influence: "desc" },
  });
  const feature = {
    modelId: occurrence.modelId,
    transcoderSetId: occurrence.transcoderSetId,
    layer: occurrence.layer,
    index: occurrence.index,
  };
  return { MODEL, owner: owner!, admin: admin!, viewer: viewer!, outsider: outsider!, ws, first, second, feature, imp };
}

const key = (f: { layer: number; index: number }) => `${f.layer}_${f.index}`;

describeEachDatabase("feature labels", (database) => {
  it("indexes every feature node at import, by the graph's ids, and backfills graphs without an index", async () => {
    const { db } = database();
    const w = await world(db);
    const rows = await db.featureOccurrence.findMany({ where: { graphId: w.first.id } });
    expect(rows.length).toBe(48); // demo-genesis: 48 transcoder-feature nodes
    expect(new Set(rows.map((r) => r.modelId))).toEqual(new Set([w.MODEL]));
    expect(rows.every((r) => r.transcoderSetId === "circuitboard-demo-gpt2-transcoders")).toBe(true);
    await db.featureOccurrence.deleteMany({ where: { graphId: w.first.id } });
    await db.graph.update({ where: { id: w.first.id }, data: { occurrencesIndexedAt: null } });
    expect(await backfillOccurrences(db, testStore)).toBeGreaterThanOrEqual(1);
    expect(await db.featureOccurrence.count({ where: { graphId: w.first.id } })).toBe(48);
    expect(await backfillOccurrences(db, testStore)).toBe(0); // idempotent: nothing left to do
    await db.graph.delete({ where: { id: w.first.id } });
    expect(await db.featureOccurrence.count({ where: { graphId: w.first.id } })).toBe(0); // cascade
  });

  it("shows a proposed label in a second graph with the feature and in its export; one vote per user", async () => {
    const { db } = database();
    const w = await world(db);
    const a = callerFor(db, w.owner);
    const b = callerFor(db, w.viewer);
    const label = await a.label.propose({ feature: w.feature, text: "  says   Genesis  ", slug: w.ws.slug });
    expect(label.text).toBe("says Genesis");
    const activity = await a.activity.workspace({ slug: w.ws.slug });
    expect(activity.items.find((i) => i.type === "label.proposed")).toMatchObject({
      excerpt: "says Genesis",
      href: featurePagePath(w.feature),
    });
    expect(await shownLabelsForGraph(db, { graphId: w.second.id, workspaceId: w.ws.id })).toMatchObject({
      [key(w.feature)]: "says Genesis",
    });
    expect(await b.label.vote({ labelId: label.id, value: 1 })).toMatchObject({ up: 1, down: 0, myVote: 1 });
    expect(await b.label.vote({ labelId: label.id, value: -1 })).toMatchObject({ up: 0, down: 1, myVote: -1 });
    expect(await b.label.vote({ labelId: label.id, value: 0 })).toMatchObject({ up: 0, down: 0, myVote: 0 });
    // A better-voted rival wins: 2 of 2 up beats 0 votes.
    const rival = await b.label.propose({ feature: w.feature, text: "begins things", slug: w.ws.slug });
    await a.label.vote({ labelId: rival.id, value: 1 });
    await b.label.vote({ labelId: rival.id, value: 1 });
    expect((await a.label.shownForGraph({ graphId: w.second.id }))[key(w.feature)]).toBe("begins things");
    const { bytes } = await exportGraphFile(db, testStore, { actor: w.owner, graphId: w.second.id });
    const exported = JSON.parse(new TextDecoder().decode(bytes)) as { nodes: { node_id: string; clerp?: string }[] };
    const prefix = `${w.feature.layer}_${w.feature.index}_`;
    const nodes = exported.nodes.filter((n) => n.node_id.startsWith(prefix));
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.every((n) => n.clerp === "begins things")).toBe(true);
    // A duplicate proposal in the same scope is refused.
    expect(await codeOf(a.label.propose({ feature: w.feature, text: "begins things", slug: w.ws.slug }))).toBe(
      "CONFLICT",
    );
  });

  it("keeps one vote row when two votes of one user race", async () => {
    const { db } = database();
    const w = await world(db);
    const api = callerFor(db, w.viewer);
    for (let round = 0; round < 5; round++) {
      const label = await api.label.propose({ feature: w.feature, text: `race ${round}`, slug: w.ws.slug });
      await Promise.all([
        api.label.vote({ labelId: label.id, value: 1 }),
        api.label.vote({ labelId: label.id, value: -1 }),
        api.label.vote({ labelId: label.id, value: 1 }),
      ]);
      expect(await db.labelVote.count({ where: { labelId: label.id, userId: w.viewer.id } })).toBe(1);
    }
  });

  it("hides labels: workspace admins in their scope, site admins only in the public one", async () => {
    const { db } = database();
    const w = await world(db);
    const mine = await callerFor(db, w.viewer).label.propose({ feature: w.feature, text: "spam", slug: w.ws.slug });
    const canHide = async (u: typeof w.admin) =>
      (await callerFor(db, u).label.list({ feature: w.feature })).labels.find((l) => l.id === mine.id)!.canHide;
    expect([await canHide(w.viewer), await canHide(w.admin)]).toEqual([false, true]);
    expect(await codeOf(callerFor(db, w.viewer).label.hide({ labelId: mine.id, isHidden: true }))).toBe("FORBIDDEN");
    expect(await callerFor(db, w.admin).label.hide({ labelId: mine.id, isHidden: true })).toMatchObject({
      hiddenAt: expect.any(Date),
    });
    expect(await shownLabelsForGraph(db, { graphId: w.second.id, workspaceId: w.ws.id })).toEqual({});
    const pub = await callerFor(db, w.outsider).label.propose({ feature: w.feature, text: "public one", slug: null });
    expect(await codeOf(callerFor(db, w.admin).label.hide({ labelId: pub.id, isHidden: true }))).toBe("FORBIDDEN");
    // The public label shows where the workspace has no showable label of its own.
    expect(await shownLabelsForGraph(db, { graphId: w.second.id, workspaceId: w.ws.id })).toEqual({
      [key(w.feature)]: "public one",
    });
  });

  it("shows a non-member none of a private workspace's labels, votes, occurrences or graphs", async () => {
    const { db } = database();
    const w = await world(db);
    const label = await callerFor(db, w.owner).label.propose({ feature: w.feature, text: "secret", slug: w.ws.slug });
    const out = callerFor(db, w.outsider);
    expect((await out.label.list({ feature: w.feature })).labels).toEqual([]);
    expect(await out.label.graphs({ feature: w.feature })).toEqual([]);
    expect(await out.label.search({ query: "secret" })).toEqual([]);
    expect(await out.label.search({ query: `L${w.feature.layer} #${w.feature.index}` })).toEqual([]);
    expect(await codeOf(out.label.vote({ labelId: label.id, value: 1 }))).toBe("NOT_FOUND");
    expect(await codeOf(out.label.propose({ feature: w.feature, text: "x", slug: w.ws.slug }))).toBe("NOT_FOUND");
    expect(await codeOf(out.label.queue({ slug: w.ws.slug }))).toBe("NOT_FOUND");
    expect(await codeOf(out.label.shownForGraph({ graphId: w.first.id }))).toBe("NOT_FOUND");
    // A public graph of the workspace: its readers see public labels only, never the workspace's.
    const open = await w.imp("public");
    expect(await out.label.shownForGraph({ graphId: open.id })).toEqual({});
    // An embed asks as an anonymous visitor: a member's session does not bring the workspace's labels into it.
    const asMember = await callerFor(db, w.owner).label.shownForGraph({ graphId: open.id });
    expect(Object.values(asMember)).toEqual(["secret"]);
    expect(await callerFor(db, w.owner).label.shownForGraph({ graphId: open.id, asAnonymous: true })).toEqual({});
    expect((await out.label.graphs({ feature: w.feature })).map((g) => g.graphId)).toEqual([open.id]);
    const { bytes } = await exportGraphFile(db, testStore, { actor: null, graphId: open.id });
    expect(new TextDecoder().decode(bytes)).not.toContain("secret");
    // Members see it all.
    const member = callerFor(db, w.viewer);
    expect((await member.label.list({ feature: w.feature })).labels.map((l) => l.text)).toEqual(["secret"]);
    expect((await member.label.search({ query: "SECR" }))[0]).toMatchObject({ feature: w.feature, label: "secret" });
    expect((await member.label.graphs({ feature: w.feature })).length).toBe(3);
  });

  it("queues the most influential unsettled feature, skips on request, and counts contributions", async () => {
    const { db } = database();
    const w = await world(db);
    const api = callerFor(db, w.viewer);
    const first = await api.label.queue({ slug: w.ws.slug });
    expect(first).not.toBeNull();
    expect(first!.contexts.length).toBeGreaterThan(0);
    const next = await api.label.queue({ slug: w.ws.slug, skip: [first!.key] });
    expect(next!.key).not.toBe(first!.key);
    expect(next!.importance).toBeLessThanOrEqual(first!.importance);
    await api.label.propose({ feature: first!.feature, text: "queued", slug: w.ws.slug });
    expect(await api.label.contributions({ slug: w.ws.slug })).toMatchObject({ mine: { labels: 1, votes: 0 } });
  });

  it.runIf(INTEROP_GRAPHS_DIR !== null)(
    "turns a real file's labels into import proposals in the workspace's scope; the graph keeps its own",
    async () => {
      const { db } = database();
      const w = await world(db);
      const body = readFileSync(join(INTEROP_GRAPHS_DIR!, "gemma-2-2b-clt-hp__meow-clt.json"));
      const graph = await importGraph(db, testStore, {
        actor: w.owner,
        slug: w.ws.slug,
        body,
        maxBytes: 1e8,
        compression: "inline",
      });
      const labels = await db.label.findMany({ where: { sourceGraphId: graph.id } });
      expect(labels.length).toBeGreaterThan(0);
      expect(labels.every((l) => l.source === "import" && l.workspaceId === w.ws.id)).toBe(true);
      expect(await db.label.count({ where: { workspaceId: null, sourceGraphId: graph.id } })).toBe(0);
      expect(await shownLabelsForGraph(db, { graphId: graph.id, workspaceId: w.ws.id })).toEqual({});
      // Importing the same file again proposes nothing new.
      const again = await importGraph(db, testStore, { actor: w.owner, slug: w.ws.slug, body, maxBytes: 1e8 });
      expect(await db.label.count({ where: { sourceGraphId: again.id } })).toBe(0);
    },
  );
});
