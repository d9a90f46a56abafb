/**
 * Mail for mentions and replies, through the real dev outbox: sent per the recipient's preferences
 * (NotificationPreference: emailMentions / emailReplies), never for a resolve, never to the actor or to
 * someone who muted the graph; each links to the thread and to the settings page where it is turned off.
 */
import { expect, it } from "vitest";
import type { Db } from "~/server/db/client";
import type { SessionUser } from "~/server/services/auth/users";
import { describeEachDatabase } from "../helpers/databases";
import { readOutbox } from "../helpers/outbox";
import { callerFor, seedGraph, seedUser, seedWorkspace, testMailer, testStore } from "../helpers/seed";

const NODE = { kind: "node", nodeId: "27_22605_10" } as const;
const mention = (u: SessionUser) => `@[${u.name}](${u.id})`;

async function world(db: Db) {
  const [author, mentioned, quiet, muter] = await Promise.all([1, 2, 3, 4].map(() => seedUser(db)));
  const ws = await seedWorkspace(db, {
    author: { user: author!, role: "editor" },
    mentioned: { user: mentioned!, role: "viewer" },
    quiet: { user: quiet!, role: "viewer" },
    muter: { user: muter!, role: "viewer" },
  });
  const graph = await seedGraph(db, { actor: author!, slug: ws.slug });
  const mailer = testMailer();
  const api = (u: SessionUser) => callerFor(db, u, testStore, { mailer });
  return { author: author!, mentioned: mentioned!, quiet: quiet!, muter: muter!, ws, graph, mailer, api };
}

describeEachDatabase("notification mail", (database) => {
  it("mentions and replies are mailed per preference; resolves and muted graphs are not", async () => {
    const w = await world(database().db);
    await w.api(w.quiet).notification.updatePreferences({ emailMentions: false });
    await w.api(w.muter).notification.muteGraph({ graphId: w.graph.id, isMuted: true });
    const thread = await w.api(w.author).comment.create({
      graphId: w.graph.id,
      anchor: NODE,
      body: `${mention(w.mentioned)} ${mention(w.quiet)} ${mention(w.muter)} look <b>here</b>`,
    });
    await w.mailer.idle();
    let mails = await readOutbox(w.mailer.outboxDir);
    expect(mails.map((m) => m.to.join())).toEqual([w.mentioned.email]); // quiet opted out, muter muted, never the actor
    const [m] = mails;
    expect(m!.subject).toBe(`${w.author.name} mentioned you on "${w.graph.title}" (${w.ws.name})`);
    expect(m!.text).toContain("look <b>here</b>");
    expect(m!.html).not.toContain("<b>here</b>"); // escaped
    expect(m!.links).toContain(`http://circuitboard.test/g/${w.graph.id}?clickedId=${NODE.nodeId}&thread=${thread.id}`);
    expect(m!.links).toContain("http://circuitboard.test/notifications");

    // A reply mails the thread's author (emailReplies on by default) unless they turned replies off.
    await w.api(w.mentioned).comment.reply({ threadId: thread.id, body: "seen it" });
    await w.mailer.idle();
    mails = await readOutbox(w.mailer.outboxDir);
    expect(mails.slice(1).map((x) => [x.to.join(), x.subject.includes("replied")])).toEqual([[w.author.email, true]]);
    await w.api(w.author).notification.updatePreferences({ emailReplies: false });
    await w.api(w.mentioned).comment.reply({ threadId: thread.id, body: "again" });
    await w.api(w.author).comment.resolve({ threadId: thread.id }); // resolves are never mailed
    await w.mailer.idle();
    expect(await readOutbox(w.mailer.outboxDir)).toHaveLength(2);
    expect(await w.api(w.author).notification.unreadCount()).toBeGreaterThanOrEqual(2); // still notified in the app
  });
});
