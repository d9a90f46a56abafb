/**
 * The app's mailer, configured from the environment (SMTP_URL, MAIL_FROM, DATA_DIR, NEXTAUTH_URL) and
 * built once per process. Services receive a Mailer (tRPC's `ctx.mailer`) rather than calling this, so
 * tests can hand them one that writes to a temporary outbox or talks to a test SMTP server.
 */
import { join } from "node:path";
import { appUrl, env } from "../env";
import { createMailer, type Mailer, type MailMessage } from "./mailer";

let cached: Mailer | undefined;

export function getMailer(): Mailer {
  if (!cached) {
    const e = env();
    cached = createMailer({
      from: e.MAIL_FROM ?? `Circuitboard <no-reply@${new URL(appUrl("/")).hostname}>`,
      smtpUrl: e.SMTP_URL,
      outboxDir: join(e.DATA_DIR, "outbox"),
      baseUrl: appUrl("/"),
    });
  }
  return cached;
}

/** Sends one message with the app's mailer (for scripts; services use the Mailer they are given). */
export function sendMail(message: MailMessage): Promise<void> {
  return getMailer().send(message);
}
