/**
 * The live channel across app instances: two API processes (plain Node HTTP, the real tRPC router and
 * /api/live) on ONE PostgreSQL database. A comment posted through one reaches a stream held by the other
 * (NOTIFY carries the event id, the other instance reads the row); a stream that drops and reconnects with
 * its last event id misses nothing; one stream carries every topic a tab follows.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { createTRPCClient, httpLink } from "@trpc/client";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "~/server/services/api-keys";
import { importGraph } from "~/server/services/graphs";
import type { SessionUser } from "~/server/services/auth/users";
import type { AppRouter } from "~/server/trpc/root";
import { createMigratedDatabase, postgresUnavailable, type MigratedDatabase } from "../helpers/databases";
import { SMALL_GRAPH } from "../helpers/fixtures";
import { seedUser, seedWorkspace, testStore } from "../helpers/seed";
import { openSse } from "../helpers/sse";

interface TInstance {
  readonly url: string;
  readonly process: ChildProcess;
}

async function startInstance(databaseUrl: string): Promise<TInstance> {
  const child = spawn(process.execPath, ["--import", "tsx", join("test", "integration", "helpers", "live-server.ts")], {
    env: { ...process.env, DATABASE_URL: databaseUrl, LIVE_SERVER_PORT: "0" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      if (line.startsWith("{")) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once("exit", (code) => reject(new Error(`live-server exited with ${code} before listening`)));
  });
  return { url: `http://127.0.0.1:${port}`, process: child };
}

function apiFor(instance: TInstance, key: string) {
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${instance.url}/api/trpc`,
        transformer: superjson,
        headers: { authorization: `Bearer ${key}` },
      }),
    ],
  });
}

const skipReason = postgresUnavailable;

describe.skipIf(skipReason !== null)("live channel across two instances [postgresql]", () => {
  let database: MigratedDatabase;
  let one: TInstance;
  let two: TInstance;
  let alice: SessionUser;
  let bob: SessionUser;
  let aliceKey: string;
  let bobKey: string;
  let graphId: string;
  let workspaceId: string;

  beforeAll(async () => {
    database = await createMigratedDatabase("postgresql");
    [one, two] = await Promise.all([startInstance(database.url), startInstance(database.url)]);
    const db = database.db;
    alice = await seedUser(db);
    bob = await seedUser(db);
    const ws = await seedWorkspace(db, { a: { user: alice, role: "editor" }, b: { user: bob, role: "viewer" } });
    workspaceId = ws.id;
    const graph = await importGraph(db, testStore, {
      actor: alice,
      slug: ws.slug,
      body: SMALL_GRAPH,
      maxBytes: 1e8,
      compression: "inline",
    });
    graphId = graph.id;
    aliceKey = (await createApiKey(db, { actor: alice, name: "a" })).key;
    bobKey = (await createApiKey(db, { actor: bob, name: "b" })).key;
  });

  afterAll(async () => {
    for (const instance of [one, two]) instance?.process.kill("SIGTERM");
    await Promise.all(
      [one, two].map((i) => (i && i.process.exitCode === null ? new Promise((r) => i.process.once("exit", r)) : null)),
    );
    await database?.drop();
  });

  const liveUrl = (instance: TInstance, topics: string[], lastEventId?: string | null) =>
    `${instance.url}/api/live?topics=${topics.join(",")}${lastEventId ? `&lastEventId=${lastEventId}` : ""}`;

  it("a comment posted on one instance reaches a subscriber on the other, with the mention's notification", async () => {
    const stream = await openSse(liveUrl(two, [`graph:${graphId}`, `user:${bob.id}`]), {
      authorization: `Bearer ${bobKey}`,
    });
    expect(stream.status).toBe(200);
    await stream.waitFor((e) => e.type === "live.ready");
    const thread = await apiFor(one, aliceKey).comment.create.mutate({
      graphId,
      anchor: { kind: "node", nodeId: "27_22605_10" },
      body: `Look at this, @[${bob.name}](${bob.id})`,
    });
    const created = await stream.waitFor((e) => e.type === "comment.created");
    expect(created.payload).toMatchObject({ threadId: thread.id, anchorKind: "node", anchorKey: "27_22605_10" });
    expect(created.topic).toBe(`graph:${graphId}`);
    const notified = await stream.waitFor((e) => e.type === "notification.created");
    expect(notified.topic).toBe(`user:${bob.id}`);
    expect(await apiFor(two, bobKey).notification.unreadCount.query()).toBe(1);
    stream.close();
  });

  it("a stream that disconnects and reconnects with its last event id misses nothing, in order", async () => {
    const alice1 = apiFor(one, aliceKey);
    const first = await openSse(liveUrl(two, [`graph:${graphId}`]), { authorization: `Bearer ${bobKey}` });
    await first.waitFor((e) => e.type === "live.ready");
    const thread = await alice1.comment.create.mutate({ graphId, anchor: { kind: "graph" }, body: "before the drop" });
    await first.waitFor((e) => e.type === "comment.created" && e.payload.threadId === thread.id);
    const lastEventId = first.lastEventId;
    expect(lastEventId).toMatch(/^\d+$/);
    first.close();

    const missed: string[] = [];
    for (let i = 0; i < 5; i++) {
      const view = await alice1.comment.reply.mutate({ threadId: thread.id, body: `while away ${i}` });
      missed.push(view.comments.at(-1)!.id);
    }
    await alice1.comment.resolve.mutate({ threadId: thread.id });

    const again = await openSse(liveUrl(two, [`graph:${graphId}`], lastEventId), { authorization: `Bearer ${bobKey}` });
    await again.waitFor((e) => e.type === "thread.resolved");
    const durable = again.events.filter((e) => e.id !== null);
    expect(durable.map((e) => e.type)).toEqual([...missed.map(() => "comment.created"), "thread.resolved"]);
    expect(durable.map((e) => e.payload.commentId).slice(0, 5)).toEqual(missed);
    const ids = durable.map((e) => e.id!);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(ids[0]).toBeGreaterThan(Number(lastEventId));
    again.close();
  });

  it("one tab holds one stream however many topics it follows", async () => {
    const streamsOnTwo = async () =>
      ((await (await fetch(`${two.url}/debug/streams`)).json()) as { streams: number }).streams;
    // The earlier tests' streams are closed by their clients; the server notices each close a moment later.
    // Count from a settled instance (none left, or whatever remains after 10 s), not mid-close.
    const settleBy = Date.now() + 10_000;
    while ((await streamsOnTwo()) > 0 && Date.now() < settleBy) await new Promise((r) => setTimeout(r, 100));
    const before = await streamsOnTwo();
    const topics = [`graph:${graphId}`, `user:${bob.id}`, `workspace:${workspaceId}`];
    const stream = await openSse(liveUrl(two, topics), { authorization: `Bearer ${bobKey}` });
    await stream.waitFor((e) => e.type === "live.ready");
    const during = await streamsOnTwo();
    expect(during - before).toBe(1);
    const alice1 = apiFor(one, aliceKey);
    const thread = await alice1.comment.create.mutate({
      graphId,
      anchor: { kind: "node", nodeId: "E_651_0" },
      body: `@[${bob.name}](${bob.id}) one stream`,
    });
    await importGraph(database.db, testStore, {
      actor: alice,
      slug: (await database.db.workspace.findUniqueOrThrow({ where: { id: workspaceId } })).slug,
      body: SMALL_GRAPH,
      maxBytes: 1e8,
      compression: "inline",
    });
    await stream.waitFor((e) => e.type === "comment.created" && e.payload.threadId === thread.id);
    await stream.waitFor((e) => e.type === "notification.created");
    await stream.waitFor((e) => e.type === "graph.imported" && e.topic === `workspace:${workspaceId}`);
    stream.close();
  });
});
