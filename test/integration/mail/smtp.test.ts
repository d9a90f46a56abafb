/**
 * The mailer against a real SMTP server (smtp-server, started in-process on a free port): a sign-up's
 * verification mail arrives over SMTP at the right recipient, from MAIL_FROM, with both bodies, and the
 * link in it verifies the account. A refusing server makes `send` reject (and sign-up still answers).
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { SMTPServer } from "smtp-server";
import type { AddressInfo } from "node:net";
import { createMailer } from "~/server/mail/mailer";
import { describeEachDatabase } from "../helpers/databases";
import { parseMail, type ReceivedMail } from "../helpers/outbox";
import { callerFor, testStore, uniq } from "../helpers/seed";

interface Delivery {
  envelopeTo: string[];
  envelopeFrom: string;
  mail: ReceivedMail;
}

const deliveries: Delivery[] = [];
let server: SMTPServer;
let port = 0;

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"], // plain SMTP on loopback; no certificate to trust
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith("refused")) return callback(new Error("550 mailbox unavailable"));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        void parseMail(Buffer.concat(chunks)).then((mail) => {
          deliveries.push({
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            mail,
          });
          callback();
        }, callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function smtpMailer() {
  return createMailer({
    from: "Circuitboard Test <robot@circuitboard.test>",
    smtpUrl: `smtp://127.0.0.1:${port}`,
    outboxDir: "/nonexistent-never-written",
    baseUrl: "http://app.circuitboard.test",
  });
}

describeEachDatabase("mail over SMTP", (database) => {
  it("the verification mail arrives at the new address with a link that verifies it", async () => {
    const { db } = database();
    const mailer = smtpMailer();
    expect(mailer.transport).toBe("smtp");
    const email = `${uniq("smtp")}@example.test`;
    const api = callerFor(db, null, testStore, { mailer, ip: uniq("ip") });
    await api.auth.signUp({ email, name: "Sam <script>", password: "a long test password" });
    await mailer.idle();

    const got = deliveries.filter((d) => d.envelopeTo.includes(email));
    expect(got).toHaveLength(1);
    const { mail, envelopeFrom } = got[0]!;
    expect(envelopeFrom).toBe("robot@circuitboard.test");
    expect(mail.to).toEqual([email]);
    expect(mail.subject).toBe("Verify your email address for Circuitboard");
    expect(mail.text).toContain("Hello Sam <script>,");
    expect(mail.html).toContain("Hello Sam &lt;script&gt;,"); // user text is escaped in HTML
    const link = mail.links.find((l) => l.startsWith("http://app.circuitboard.test/verify/"));
    expect(link, mail.text).toBeDefined();
    expect(mail.html).toContain(`href="${link}"`);

    const token = new URL(link!).pathname.split("/").pop()!;
    expect(await api.auth.verifyEmail({ token })).toEqual({ email });
    expect((await db.user.findUniqueOrThrow({ where: { email } })).emailVerifiedAt).not.toBeNull();
  });

  it("an email invitation is delivered over SMTP; a refused recipient is reported, not thrown", async () => {
    const { db } = database();
    const mailer = smtpMailer();
    const owner = await db.user.create({
      data: { email: `${uniq("own")}@example.test`, name: "Olga", emailVerifiedAt: new Date() },
      select: { id: true, email: true, name: true },
    });
    const api = callerFor(db, owner, testStore, { mailer });
    const ws = await api.workspace.create({ name: "SMTP lab" });
    const invitee = `${uniq("inv")}@example.test`;
    const inv = await api.invitation.create({ slug: ws.slug, role: "viewer", email: invitee });
    expect(inv.isMailed).toBe(true);
    const mail = deliveries.find((d) => d.envelopeTo.includes(invitee))!.mail;
    expect(mail.subject).toBe("Olga invited you to SMTP lab on Circuitboard");
    expect(mail.links).toContain(`http://app.circuitboard.test/invite/${inv.token}`);

    const refused = await api.invitation.create({
      slug: ws.slug,
      role: "viewer",
      email: `refused-${uniq("x")}@example.test`,
    });
    expect(refused.isMailed).toBe(false);
    await expect(
      mailer.send({ to: "refused@example.test", subject: "s", text: "t", html: "<p>t</p>" }),
    ).rejects.toThrow(/550/);
  });
});
