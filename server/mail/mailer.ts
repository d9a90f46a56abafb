/**
 * THE mailer: every mail the app sends (verification, password reset, invitations, notifications) goes
 * through a Mailer. Two transports, chosen by configuration:
 *   - SMTP (`SMTP_URL`, e.g. smtp://user:pass@mail.example.org:587 or smtps://…:465) through nodemailer;
 *   - the dev outbox (the embedded default): each message is written, as the exact RFC 5322 bytes an SMTP
 *     server would receive, to `<outboxDir>/<time>-<id>.eml`, and its links are printed on the console.
 *     Never served by the app: a page listing reset links would be an account takeover.
 *
 *   const mailer = getMailer();                                   // server/mail/index.ts, from env
 *   await mailer.send({ to, ...verifyEmailMail({ name, url }) });  // typed templates: ./templates.ts
 *   mailer.sendLater(async () => ({ to, ...template }));           // answer now, deliver in the background
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import nodemailer from "nodemailer";
import { logger } from "../log";

export interface MailMessage {
  to: string;
  subject: string;
  /** The plain-text body (always sent; the outbox console lines and text-only clients read it). */
  text: string;
  /** The HTML body. Every user-supplied value in it must be escaped (templates.ts does). */
  html: string;
}

export interface MailerConfig {
  /** The sender, e.g. `Circuitboard <no-reply@example.org>`. */
  from: string;
  /** smtp:// or smtps:// URL; unset: the dev outbox. */
  smtpUrl?: string;
  /** Where the dev outbox writes (used when smtpUrl is unset). */
  outboxDir: string;
  /** The app's public URL, which links in mails start with (NEXTAUTH_URL). */
  baseUrl: string;
  /** Where the dev outbox announces each mail and its links (default: the app's logger; tests pass a no-op). */
  log?: (entry: OutboxEntry) => void;
}

export interface OutboxEntry {
  to: string;
  subject: string;
  links: string[];
  file: string;
}

export interface Mailer {
  readonly transport: "smtp" | "outbox";
  /** An absolute link into the app for a mail: `url("/verify/ev_…")`. */
  url(path: string): string;
  /** Delivers one message; rejects when the SMTP server refuses it. */
  send(message: MailMessage): Promise<void>;
  /**
   * Composes (may read the database) and delivers in the background; a null message sends nothing.
   * Used where the answer must not depend on whether, or how fast, a mail goes out (sign-up, reset
   * requests: no account enumeration by content or timing). Failures are logged, never thrown.
   */
  sendLater(compose: () => Promise<MailMessage | null>): void;
  /** Resolves when every sendLater so far has finished (tests; shutdown). */
  idle(): Promise<void>;
}

let outboxSequence = 0;

const URL_PATTERN = /https?:\/\/[^\s<>"')]+/g;

export function linksIn(text: string): string[] {
  return [...new Set(text.match(URL_PATTERN) ?? [])];
}

export function createMailer(config: MailerConfig): Mailer {
  const log =
    config.log ??
    ((entry: OutboxEntry) =>
      logger().info(
        { mail: entry },
        [`mail (dev outbox) → ${entry.to}: ${entry.subject}`, ...entry.links.map((l) => `  ${l}`)].join("\n"),
      ));
  const smtp = config.smtpUrl ? nodemailer.createTransport(config.smtpUrl) : null;
  // The outbox: the message is built exactly as for SMTP and handed back as bytes instead of being sent.
  const outbox = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  const pending = new Set<Promise<void>>();
  const baseUrl = config.baseUrl.replace(/\/+$/, "");

  async function send(message: MailMessage): Promise<void> {
    if (smtp) {
      await smtp.sendMail({ from: config.from, ...message });
      return;
    }
    const info = await outbox.sendMail({ from: config.from, ...message });
    mkdirSync(config.outboxDir, { recursive: true });
    const file = join(
      config.outboxDir,
      // Sorting the names sorts the mails by time (the counter orders those of the same millisecond).
      `${new Date().toISOString().replace(/[:.]/g, "-")}-${String(++outboxSequence).padStart(6, "0")}-${randomBytes(4).toString("hex")}.eml`,
    );
    writeFileSync(file, info.message as Buffer, { mode: 0o600 });
    log({ to: message.to, subject: message.subject, links: linksIn(message.text), file });
  }

  return {
    transport: smtp ? "smtp" : "outbox",
    url: (path) => `${baseUrl}${path.startsWith("/") ? path : `/${path}`}`,
    send,
    sendLater(compose) {
      const task = compose()
        .then((message) => (message ? send(message) : undefined))
        .catch((err: unknown) => logger().error({ err }, "mail: could not compose or deliver a message"))
        .finally(() => pending.delete(task));
      pending.add(task);
    },
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
