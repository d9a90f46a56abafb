/** The dev outbox: one real .eml file per message, readable by a mail parser, and its links announced. */
import { mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { createMailer, type OutboxEntry } from "~/server/mail/mailer";
import { verifyEmailMail } from "~/server/mail/templates";
import { readOutbox } from "../helpers/outbox";

it("writes each message as an .eml file (owner-only) and announces its recipient, subject and links", async () => {
  const outboxDir = join(mkdtempSync(join(tmpdir(), "cb-outbox-")), "outbox");
  const announced: OutboxEntry[] = [];
  const mailer = createMailer({
    from: "Circuitboard <no-reply@example.test>",
    outboxDir,
    baseUrl: "http://localhost:3000/",
    log: (e) => announced.push(e),
  });
  expect(mailer.transport).toBe("outbox");
  const url = mailer.url("/verify/ev_abc");
  expect(url).toBe("http://localhost:3000/verify/ev_abc");
  await mailer.send({ to: "ada@example.test", ...verifyEmailMail({ name: "Ada", url, ttlHours: 48 }) });
  mailer.sendLater(async () => ({ to: "bob@example.test", subject: "Later", text: "see http://x.test/a", html: "" }));
  mailer.sendLater(async () => null); // nothing to send
  mailer.sendLater(async () => {
    throw new Error("composing failed"); // logged, never thrown
  });
  await mailer.idle();

  const files = readdirSync(outboxDir);
  expect(files).toHaveLength(2);
  for (const f of files) expect(statSync(join(outboxDir, f)).mode & 0o077).toBe(0);
  const mails = await readOutbox(outboxDir);
  expect(mails.map((m) => [m.to.join(), m.subject])).toEqual([
    ["ada@example.test", "Verify your email address for Circuitboard"],
    ["bob@example.test", "Later"],
  ]);
  expect(mails[0]!.from).toBe('"Circuitboard" <no-reply@example.test>');
  expect(mails[0]!.links).toEqual([url]);
  expect(mails[0]!.html).toContain(`href="${url}"`);
  expect(announced.map((a) => [a.to, a.links])).toEqual([
    ["ada@example.test", [url]],
    ["bob@example.test", ["http://x.test/a"]],
  ]);
  expect(announced[0]!.file.startsWith(outboxDir)).toBe(true);
});
