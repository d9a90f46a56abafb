/**
 * Reads the dev outbox the way a person would read their mail: every `.eml` file the mailer wrote,
 * parsed as a real message (mailparser), with the links of its plain-text body. Used by the integration
 * tests and by the end-to-end helpers, which verify accounts through these files, never a back door.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { simpleParser, type AddressObject } from "mailparser";
import { linksIn } from "~/server/mail/mailer";

export interface ReceivedMail {
  file: string;
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  links: string[];
}

const addresses = (a: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(a) ? a : a ? [a] : []).flatMap((x) => x.value.map((v) => (v.address ?? "").toLowerCase()));

export async function parseMail(raw: Buffer | string, file = ""): Promise<ReceivedMail> {
  const m = await simpleParser(raw);
  const text = m.text ?? "";
  return {
    file,
    to: addresses(m.to),
    from: m.from?.text ?? "",
    subject: m.subject ?? "",
    text,
    html: typeof m.html === "string" ? m.html : "",
    links: linksIn(text),
  };
}

/** Every mail in the outbox, oldest first (file names start with the time they were written). */
export async function readOutbox(dir: string): Promise<ReceivedMail[]> {
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".eml"))
    .sort();
  return Promise.all(files.map((f) => parseMail(readFileSync(join(dir, f)), f)));
}

/** The mails to `email` (newest last), waiting up to `timeoutMs` for at least `atLeast` of them. */
export async function mailsTo(
  dir: string,
  email: string,
  { atLeast = 1, timeoutMs = 10_000 }: { atLeast?: number; timeoutMs?: number } = {},
): Promise<ReceivedMail[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mails = (await readOutbox(dir)).filter((m) => m.to.includes(email.toLowerCase()));
    if (mails.length >= atLeast || Date.now() > deadline) return mails;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The one link in the newest mail to `email` whose path starts with `pathPrefix` (e.g. "/verify/"). */
export async function linkMailedTo(dir: string, email: string, pathPrefix: string, atLeast = 1): Promise<string> {
  const mails = await mailsTo(dir, email, { atLeast });
  const link = mails.at(-1)?.links.find((l) => new URL(l).pathname.startsWith(pathPrefix));
  if (!link) {
    throw new Error(
      `no mail to ${email} with a ${pathPrefix}… link in ${dir} (found ${mails.length} mail(s): ${mails.map((m) => m.subject).join("; ")})`,
    );
  }
  return link;
}
