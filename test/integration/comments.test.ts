/**
 * Comment threads through the real router on both databases: replies, edit history, deletion that keeps
 * its place, resolve rules, reactions, bounded and validated input, the per-user rate limit, mentions and
 * replies as notifications (members only, muted graphs silent), members-only visibility whatever the
 * graph's visibility, and the live stream's topic checks and replay.
 */
import { expect, it } from "vitest";
import type { Db } from "~/server/db/client";
import { LiveHub } from "~/server/live/hub";
import { openLiveStream } from "~/server/live/stream";
import type { SessionUser } from "~/server/services/auth/users";
import { describeEachDatabase } from "./helpers/databases";
import { codeOf } from "./helpers/outcome";
import { callerFor, seedGraph, seedUser, seedWorkspace } from "./helpers/seed";

const NODE = { kind: "node", nodeId: "27_22605_10" } as const;

async function world(db: Db, visibility: "private" | "public" = "private") {
  const [owner, admin, editor, viewer, other, outsider] = await Promise.all(
    ["owner", "admin", "editor", "viewer", "other", "outsider"].map(() => seedUser(db)),
  );
  const ws = await seedWorkspace(db, {
    owner: { user: owner!, role: "owner" },
    admin: { user: admin!, role: "admin" },
    editor: { user: editor!, role: "editor" },
    viewer: { user: viewer!, role: "viewer" },
    other: { user: other!, role: "viewer" },
  });
  const graph = await seedGraph(db, { actor: owner!, slug: ws.slug, visibility });
  const api = (u: SessionUser | null) => callerFor(db, u);
  return {
    owner: owner!,
    admin: admin!,
    editor: editor!,
    viewer: viewer!,
    other: other!,
    outsider: outsider!,
    ws,
    graph,
    api,
  };
}

const mention = (u: SessionUser) => `@[${u.name}](${u.id})`;

describeEachDatabase("comments", (database) => {
  it("a thread on a node: replies, edit keeps history, delete keeps its place, reactions", async () => {
    const w = await world(database().db);
    const thread = await w
      .api(w.viewer)
      .comment.create({ graphId: w.graph.id, anchor: NODE, body: "What is **this**?" });
    expect(thread.anchor).toEqual(NODE);
    expect(thread.comments[0]!.html).toBe("<p>What is <strong>this</strong>?</p>\n");
    const replied = await w.api(w.editor).comment.reply({ threadId: thread.id, body: "A cat feature" });
    const replyId = replied.comments[1]!.id;
    const edited = await w.api(w.editor).comment.edit({ commentId: replyId, body: "A *cat* feature" });
    expect(edited.comments[1]!.editedAt).not.toBeNull();
    expect(await w.api(w.viewer).comment.history({ commentId: replyId })).toMatchObject([{ body: "A cat feature" }]);
    expect(await codeOf(w.api(w.viewer).comment.edit({ commentId: replyId, body: "mine now" }))).toBe("FORBIDDEN");

    const reacted = await w.api(w.viewer).comment.react({ commentId: replyId, emoji: "👍" });
    expect(reacted.comments[1]!.reactions).toEqual([{ emoji: "👍", count: 1, isMine: true }]);
    const unreacted = await w.api(w.viewer).comment.react({ commentId: replyId, emoji: "👍" });
    expect(unreacted.comments[1]!.reactions).toEqual([]);

    const deleted = await w.api(w.editor).comment.delete({ commentId: replyId });
    expect(deleted.comments.map((c) => c.isDeleted)).toEqual([false, true]);
    expect(deleted.comments[1]).toMatchObject({ body: "", html: "" });
    expect(await w.api(w.viewer).comment.history({ commentId: replyId })).toEqual([]);
    // An admin may delete anyone's comment; an editor may not.
    expect(await codeOf(w.api(w.editor).comment.delete({ commentId: thread.comments[0]!.id }))).toBe("FORBIDDEN");
    expect(await codeOf(w.api(w.admin).comment.delete({ commentId: thread.comments[0]!.id }))).toBe("OK");
  });

  it("resolve: editors+ any thread, a viewer only their own; the summary counts open and resolved", async () => {
    const w = await world(database().db);
    const mine = await w.api(w.viewer).comment.create({ graphId: w.graph.id, anchor: NODE, body: "mine" });
    const theirs = await w.api(w.other).comment.create({ graphId: w.graph.id, anchor: NODE, body: "theirs" });
    expect(await codeOf(w.api(w.viewer).comment.resolve({ threadId: theirs.id }))).toBe("FORBIDDEN");
    expect((await w.api(w.viewer).comment.resolve({ threadId: mine.id })).status).toBe("resolved");
    expect(await w.api(w.viewer).comment.summary({ graphId: w.graph.id })).toEqual([
      { anchorKind: "node", anchorKey: NODE.nodeId, open: 1, resolved: 1 },
    ]);
    const resolved = await w.api(w.editor).comment.resolve({ threadId: theirs.id });
    expect(resolved.resolvedBy?.id).toBe(w.editor.id);
    expect((await w.api(w.editor).comment.reopen({ threadId: theirs.id })).status).toBe("open");
  });

  it("bad input is a 400 naming the field; 10,000 characters at most; a per-user rate limit", async () => {
    const w = await world(database().db);
    const cases = [
      { body: "", field: "body" },
      { body: "x".repeat(10_001), field: "body" },
      { body: "ok", anchor: { kind: "node", nodeId: "bad id <>" }, field: "anchor.nodeId" },
      { body: "ok", anchor: { kind: "planet" }, field: "anchor" },
      { body: "ok", anchor: { kind: "subgraph", subgraphId: "nope" }, field: "anchor.subgraphId" },
    ];
    for (const c of cases) {
      const call = w
        .api(w.viewer)
        .comment.create({ graphId: w.graph.id, anchor: (c.anchor ?? NODE) as never, body: c.body });
      await expect(call).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining(c.field) });
    }
    expect(
      await codeOf(w.api(w.viewer).comment.create({ graphId: w.graph.id, anchor: NODE, body: "y".repeat(10_000) })),
    ).toBe("OK");
    const codes: string[] = [];
    for (let i = 0; i < 31; i++)
      codes.push(await codeOf(w.api(w.editor).comment.create({ graphId: w.graph.id, anchor: NODE, body: `n${i}` })));
    expect(codes.slice(0, 30).every((c) => c === "OK")).toBe(true);
    expect(codes[30]).toBe("TOO_MANY_REQUESTS");
  });

  it("mentions, replies and resolves notify members (never the actor, never a muted graph); mark read", async () => {
    const w = await world(database().db);
    const thread = await w.api(w.viewer).comment.create({
      graphId: w.graph.id,
      anchor: NODE,
      body: `${mention(w.editor)} and ${mention(w.outsider)} and ${mention(w.viewer)}`,
    });
    expect(await w.api(w.editor).notification.unreadCount()).toBe(1);
    expect(await w.api(w.outsider).notification.unreadCount()).toBe(0); // not a member: mention ignored
    expect(await w.api(w.viewer).notification.unreadCount()).toBe(0); // never yourself
    const [entry] = await w.api(w.editor).notification.list({});
    expect(entry).toMatchObject({ kind: "mention", isRead: false, graphTitle: w.graph.title });
    expect(entry!.href).toBe(`/g/${w.graph.id}?clickedId=${NODE.nodeId}&thread=${thread.id}`);

    await w.api(w.other).notification.muteGraph({ graphId: w.graph.id, isMuted: true });
    await w.api(w.other).comment.reply({ threadId: thread.id, body: "me too" });
    await w.api(w.editor).comment.reply({ threadId: thread.id, body: "a reply" });
    // The thread's author and earlier repliers hear of a reply; `other` muted the graph.
    expect((await w.api(w.viewer).notification.list({})).map((n) => n.kind)).toEqual(["reply", "reply"]);
    expect(await w.api(w.other).notification.unreadCount()).toBe(0);
    await w.api(w.admin).comment.resolve({ threadId: thread.id });
    expect((await w.api(w.viewer).notification.list({}))[0]!.kind).toBe("resolve");

    const [first] = await w.api(w.viewer).notification.list({});
    await w.api(w.viewer).notification.markRead({ notificationIds: [first!.id] });
    expect(await w.api(w.viewer).notification.unreadCount()).toBe(2);
    // Someone else's id changes nothing.
    expect(await w.api(w.editor).notification.markRead({ notificationIds: [first!.id] })).toEqual({ updated: 0 });
    await w.api(w.viewer).notification.markAllRead();
    expect(await w.api(w.viewer).notification.unreadCount()).toBe(0);
    const prefs = await w.api(w.viewer).notification.updatePreferences({ emailMentions: false });
    expect(prefs).toMatchObject({ emailMentions: false, emailReplies: true });
  });

  it("a public graph's readers who are not members see no comments, even by id", async () => {
    const w = await world(database().db, "public");
    const thread = await w.api(w.viewer).comment.create({ graphId: w.graph.id, anchor: NODE, body: "members only" });
    expect(await codeOf(w.api(null).graph.get({ graphId: w.graph.id }))).toBe("OK");
    expect(await codeOf(w.api(null).comment.list({ graphId: w.graph.id }))).toBe("UNAUTHORIZED");
    expect(await codeOf(w.api(w.outsider).comment.list({ graphId: w.graph.id }))).toBe("FORBIDDEN");
    expect(await codeOf(w.api(w.outsider).comment.summary({ graphId: w.graph.id }))).toBe("FORBIDDEN");
    expect(await codeOf(w.api(w.outsider).comment.get({ threadId: thread.id }))).toBe("NOT_FOUND");
    expect(await codeOf(w.api(w.outsider).comment.reply({ threadId: thread.id, body: "hi" }))).toBe("NOT_FOUND");
    expect(await codeOf(w.api(w.outsider).comment.history({ commentId: thread.comments[0]!.id }))).toBe("NOT_FOUND");
  });

  it("the activity feed lists imports, comments and resolves; for you shows others' actions only", async () => {
    const w = await world(database().db);
    const thread = await w.api(w.viewer).comment.create({ graphId: w.graph.id, anchor: NODE, body: "hello feed" });
    await w.api(w.editor).comment.resolve({ threadId: thread.id });
    const feed = await w.api(w.viewer).activity.workspace({ slug: w.ws.slug });
    expect(feed.items.map((i) => i.type)).toEqual(["thread.resolved", "comment.created", "graph.imported"]);
    expect(feed.items[1]).toMatchObject({ excerpt: "hello feed", actorName: w.viewer.name, graphTitle: w.graph.title });
    const forYou = await w.api(w.viewer).activity.forYou({});
    expect(forYou.items.map((i) => i.type)).toEqual(["thread.resolved", "graph.imported"]);
  });

  it("the live stream checks every topic with the data's own policy, and replays from a last event id", async () => {
    const w = await world(database().db);
    const hub = new LiveHub(database().db, database().url);
    const open = (user: SessionUser | null, topics: string, lastEventId: string | null = null) =>
      openLiveStream({ hub, user, topics, lastEventId, signal: new AbortController().signal });
    expect(await codeOf(open(null, `graph:${w.graph.id}`))).toBe("UNAUTHORIZED");
    expect(await codeOf(open(w.outsider, `graph:${w.graph.id}`))).toBe("NOT_FOUND");
    expect(await codeOf(open(w.viewer, `user:${w.editor.id}`))).toBe("NOT_FOUND");
    expect(await codeOf(open(w.outsider, `workspace:${w.ws.id}`))).toBe("NOT_FOUND");
    await expect(open(w.viewer, "planet:mars")).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("topic"),
    });

    const before = await database().db.event.findFirst({ orderBy: { id: "desc" } });
    await w.api(w.editor).comment.create({ graphId: w.graph.id, anchor: NODE, body: `${mention(w.viewer)} look` });
    const abort = new AbortController();
    const response = await openLiveStream({
      hub,
      user: w.viewer,
      topics: `graph:${w.graph.id},user:${w.viewer.id}`,
      lastEventId: String(before!.id),
      signal: abort.signal,
    });
    expect(response.status).toBe(200);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while (!text.includes('"live.ready"')) text += (await reader.read()).value ?? "";
    abort.abort();
    await hub.stop();
    const types = [...text.matchAll(/"type":"([a-z.]+)"/g)].map((m) => m[1]);
    expect(types).toEqual(["comment.created", "notification.created", "live.ready"]);
  });
});
