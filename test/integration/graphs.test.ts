/**
 * Graphs on a real database and blob store: import of every fixture (carried, and real ones when present), export round trip, search,
 * visibility (private / unlisted / public × every kind of caller), bad files, and clean-up on delete.
 */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { expect, it } from "vitest";
import { parseGraph } from "@circuitboard/shared/graph-format";
import { exportGraphFile, importGraph, readGraphBody, readGraphJson } from "~/server/services/graphs";
import { describeEachDatabase } from "./helpers/databases";
import { codeOf } from "./helpers/outcome";
import { allGraphFiles, SMALL_GRAPH } from "./helpers/fixtures";
import { callerFor, seedUser, seedWorkspace, testStore, uniq } from "./helpers/seed";

const MEOW = SMALL_GRAPH; // any small graph

describeEachDatabase("graphs", (database) => {
  it("imports every fixture with its counts, and exports it back to the same graph", async () => {
    const { db } = database();
    const owner = await seedUser(db);
    const ws = await seedWorkspace(db, { owner: { user: owner, role: "owner" } });
    for (const { name, path } of allGraphFiles()) {
      const body = readFileSync(path);
      const expected = parseGraph(body);
      const row = await importGraph(db, testStore, {
        actor: owner,
        slug: ws.slug,
        body,
        maxBytes: 1e9,
        compression: "inline",
      });
      expect(row, name).toMatchObject({
        nodeCount: expected.counts.nodes,
        linkCount: expected.counts.links,
        visibility: "private",
      });
      const stored = await readGraphBody(db, testStore, { actor: owner, graphId: row.id });
      expect(stored.isGzipped, `${name}: compressed once the import is done`).toBe(true);
      expect(Buffer.compare(gunzipSync(stored.bytes), body), `${name}: stored body is the uploaded bytes`).toBe(0);
      expect(await testStore.has(`graphs/${row.id}.json`), `${name}: the raw copy is gone`).toBe(false);
      const { bytes } = await exportGraphFile(db, testStore, { actor: owner, graphId: row.id });
      const again = parseGraph(bytes);
      expect(again.counts).toEqual(expected.counts);
      expect(Array.from(again.links.weight)).toEqual(Array.from(expected.links.weight));
    }
  });

  it("background compression: readable as raw JSON at once, gzip afterwards, same bytes either way", async () => {
    const { db } = database();
    const owner = await seedUser(db);
    const ws = await seedWorkspace(db, { owner: { user: owner, role: "owner" } });
    const row = await importGraph(db, testStore, { actor: owner, slug: ws.slug, body: MEOW, maxBytes: 1e9 });
    expect(
      Buffer.compare(Buffer.from((await readGraphJson(db, testStore, { actor: owner, graphId: row.id })).json), MEOW),
    ).toBe(0);
    await expect
      .poll(async () => (await readGraphBody(db, testStore, { actor: owner, graphId: row.id })).isGzipped)
      .toBe(true);
    expect(
      Buffer.compare(Buffer.from((await readGraphJson(db, testStore, { actor: owner, graphId: row.id })).json), MEOW),
    ).toBe(0);
  });

  it("a bad file is a 400 naming the JSON path, and nothing is stored", async () => {
    const { db } = database();
    const owner = await seedUser(db);
    const ws = await seedWorkspace(db, { owner: { user: owner, role: "owner" } });
    const json = JSON.parse(MEOW.toString("utf8"));
    json.links[3].target = "no-such-node";
    const cases: [string, Uint8Array, RegExp, string][] = [
      ["dangling link", Buffer.from(JSON.stringify(json)), /\$\.links\[3\]\.target/, "BAD_REQUEST"],
      ["truncated", MEOW.subarray(0, 20_000), /INVALID_JSON|JSON|line/i, "BAD_REQUEST"],
      ["not JSON at all", Buffer.from("hello"), /./, "BAD_REQUEST"],
      ["over the limit", MEOW, /limit/, "PAYLOAD_TOO_LARGE"],
    ];
    for (const [name, body, message, code] of cases) {
      const p = importGraph(db, testStore, {
        actor: owner,
        slug: ws.slug,
        body,
        maxBytes: name === "over the limit" ? 1000 : 1e9,
      });
      await expect(p, name).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
    }
    expect(await db.graph.count({ where: { workspaceId: ws.id } })).toBe(0);
  });

  it("lists with search over title and prompt, case-insensitive, and sorts", async () => {
    const { db } = database();
    const owner = await seedUser(db);
    const ws = await seedWorkspace(db, { owner: { user: owner, role: "owner" } });
    await importGraph(db, testStore, { actor: owner, slug: ws.slug, body: MEOW, title: "Zebra cats", maxBytes: 1e9 });
    await importGraph(db, testStore, { actor: owner, slug: ws.slug, body: MEOW, title: "Aardvark", maxBytes: 1e9 });
    const api = callerFor(db, owner);
    expect((await api.graph.list({ slug: ws.slug, sort: "title" })).map((g) => g.title)).toEqual([
      "Aardvark",
      "Zebra cats",
    ]);
    expect((await api.graph.list({ slug: ws.slug, query: "ZEBRA" })).map((g) => g.title)).toEqual(["Zebra cats"]);
    const prompt = (await api.graph.list({ slug: ws.slug }))[0]!.prompt;
    expect((await api.graph.list({ slug: ws.slug, query: prompt.slice(2, 8).toUpperCase() })).length).toBe(2);
  });

  it("visibility: who may read, and writes stay with members", async () => {
    const { db } = database();
    const [owner, viewer, outsider] = [await seedUser(db), await seedUser(db), await seedUser(db)];
    const ws = await seedWorkspace(db, {
      owner: { user: owner, role: "owner" },
      viewer: { user: viewer, role: "viewer" },
    });
    const table = {
      private: { viewer: "OK", outsider: "NOT_FOUND", anonymous: "NOT_FOUND" },
      unlisted: { viewer: "OK", outsider: "OK", anonymous: "OK" },
      public: { viewer: "OK", outsider: "OK", anonymous: "OK" },
    } as const;
    for (const [visibility, expected] of Object.entries(table)) {
      const g = await importGraph(db, testStore, {
        actor: owner,
        slug: ws.slug,
        body: MEOW,
        maxBytes: 1e9,
        visibility: visibility as never,
      });
      for (const [who, outcome] of Object.entries(expected)) {
        const user = who === "viewer" ? viewer : who === "outsider" ? outsider : null;
        expect(await codeOf(callerFor(db, user).graph.get({ graphId: g.id })), `${visibility} read as ${who}`).toBe(
          outcome,
        );
        expect(
          await codeOf(readGraphBody(db, testStore, { actor: user, graphId: g.id })),
          `${visibility} body as ${who}`,
        ).toBe(outcome);
      }
      const explored = (await callerFor(db, null).graph.explore({})).map((r) => r.id);
      expect(explored.includes(g.id), `${visibility} listed on explore`).toBe(visibility === "public");
      // Writing is a member's business whatever the visibility.
      const writeAs = visibility === "private" ? "NOT_FOUND" : "FORBIDDEN";
      expect(
        await codeOf(callerFor(db, outsider).graph.update({ graphId: g.id, title: "mine" })),
        `${visibility} update as outsider`,
      ).toBe(writeAs);
      expect(
        await codeOf(callerFor(db, viewer).graph.delete({ graphId: g.id })),
        `${visibility} delete as viewer`,
      ).toBe("FORBIDDEN");
      expect(
        await codeOf(callerFor(db, outsider).subgraph.create({ graphId: g.id, name: "x", state: {} as never })),
      ).toBe(writeAs);
    }
  });

  it("deleting a graph removes its body; deleting the workspace removes all bodies", async () => {
    const { db } = database();
    const owner = await seedUser(db);
    const api = callerFor(db, owner);
    const ws = await api.workspace.create({ name: uniq("bodies") });
    const a = await importGraph(db, testStore, { actor: owner, slug: ws.slug, body: MEOW, maxBytes: 1e9 });
    const b = await importGraph(db, testStore, { actor: owner, slug: ws.slug, body: MEOW, maxBytes: 1e9 });
    const keyOf = async (id: string) => {
      await expect.poll(async () => (await db.graph.findUnique({ where: { id } }))!.blobKey).toMatch(/\.gz$/);
      return (await db.graph.findUnique({ where: { id } }))!.blobKey;
    };
    const [ka, kb] = [await keyOf(a.id), await keyOf(b.id)];
    await api.graph.delete({ graphId: a.id });
    expect(await testStore.has(ka)).toBe(false);
    expect(await testStore.has(kb)).toBe(true);
    await api.workspace.delete({ slug: ws.slug, confirmSlug: ws.slug });
    expect(await testStore.has(kb)).toBe(false);
  });

  it("saved subgraphs: validated state, readable with the graph, exported into qParams", async () => {
    const { db } = database();
    const owner = await seedUser(db);
    const ws = await seedWorkspace(db, { owner: { user: owner, role: "owner" } });
    const g = await importGraph(db, testStore, { actor: owner, slug: ws.slug, body: MEOW, maxBytes: 1e9 });
    const api = callerFor(db, owner);
    const graph = parseGraph(MEOW);
    const [n1, n2, n3] = graph.nodes.slice(0, 3).map((n) => n.nodeId);
    const state = {
      pinnedIds: [n1!, n2!, n3!],
      supernodes: [["pair", n1!, n2!]],
      clerps: [[n3!, "my label"]] as [string, string][],
      clickedId: n1!,
      pruningThreshold: 0.6,
    };
    const saved = await api.subgraph.create({ graphId: g.id, name: "three pins", state: state as never });
    expect((await api.subgraph.get({ subgraphId: saved.id })).state).toMatchObject(state);
    await expect(
      api.subgraph.create({ graphId: g.id, name: "bad", state: { pinnedIds: "x" } as never }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/pinnedIds/) });
    await expect(
      api.subgraph.create({ graphId: g.id, name: "bad", state: { evil: 1 } as never }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const { subgraphToQParams } = await import("~/server/services/subgraphs");
    const { bytes } = await exportGraphFile(db, testStore, {
      actor: owner,
      graphId: g.id,
      subgraph: subgraphToQParams((await api.subgraph.get({ subgraphId: saved.id })).state),
      clerps: (await api.subgraph.get({ subgraphId: saved.id })).state.clerps,
    });
    const out = JSON.parse(Buffer.from(bytes).toString("utf8"));
    expect(out.qParams.pinnedIds).toEqual(state.pinnedIds);
    expect(out.qParams.supernodes).toEqual(state.supernodes);
  });

  it("a subgraph saved before #11 (labels keyed by node_id) is migrated to feature keys when first read", async () => {
    const { db } = database();
    const owner = await seedUser(db);
    const ws = await seedWorkspace(db, { owner: { user: owner, role: "owner" } });
    const g = await importGraph(db, testStore, { actor: owner, slug: ws.slug, body: MEOW, maxBytes: 1e9 });
    const api = callerFor(db, owner);
    const legacy = {
      pinnedIds: ["0_49560_3"],
      supernodes: [],
      clerps: [
        ["0_49560_3", "feature label"],
        ["E_2_0", "bos"],
        ["gone_1_1", "kept"],
      ],
      clickedId: "",
      linkType: "both",
    };
    const row = await db.subgraph.create({
      data: { id: uniq("sg"), graphId: g.id, name: "old", state: JSON.stringify(legacy), createdById: owner.id },
    });
    const { state } = await api.subgraph.get({ subgraphId: row.id });
    expect(state.version).toBe(2);
    expect(state.clerps).toEqual([
      ["0_49560", "feature label"],
      ["E_2_0", "bos"],
      ["gone_1_1", "kept"],
    ]);
    const stored = JSON.parse((await db.subgraph.findUniqueOrThrow({ where: { id: row.id } })).state);
    expect(stored).toMatchObject({ version: 2, clerps: state.clerps });
  });
});
