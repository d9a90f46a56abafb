/**
 * Typed mail templates: each returns the subject and both bodies of one kind of mail, to be sent with
 * `mailer.send({ to, ...template(...) })`. Every value is escaped into the HTML body, so names,
 * workspace names and comment excerpts chosen by users can never inject markup.
 */
import escapeHtml from "escape-html";
import type { MailMessage } from "./mailer";

export type MailContent = Omit<MailMessage, "to">;

interface Layout {
  subject: string;
  greeting: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  /** Small print under the action (why the reader got this mail, what to do if it was not them). */
  footer?: string;
}

/** One plain layout for every mail: greeting, paragraphs, one button-like link, small print. */
export function composeMail({ subject, greeting, paragraphs, action, footer }: Layout): MailContent {
  const text = [
    greeting,
    "",
    ...paragraphs.flatMap((p) => [p, ""]),
    ...(action ? [`${action.label}: ${action.url}`, ""] : []),
    ...(footer ? [footer, ""] : []),
    "— Circuitboard",
  ].join("\n");
  const p = (s: string) => `<p style="margin:0 0 1em">${escapeHtml(s)}</p>`;
  const html = [
    `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1a1a1a">`,
    p(greeting),
    ...paragraphs.map(p),
    action
      ? `<p style="margin:1.5em 0"><a href="${escapeHtml(action.url)}" style="background:#2952cc;color:#fff;padding:.6em 1.2em;border-radius:4px;text-decoration:none">${escapeHtml(action.label)}</a></p>` +
        `<p style="margin:0 0 1em;font-size:.85em;color:#555">Or open this link: ${escapeHtml(action.url)}</p>`
      : "",
    footer ? `<p style="margin:1.5em 0 0;font-size:.85em;color:#555">${escapeHtml(footer)}</p>` : "",
    `<p style="margin:1.5em 0 0;color:#555">— Circuitboard</p></body></html>`,
  ].join("\n");
  return { subject, text, html };
}

export function verifyEmailMail({ name, url, ttlHours }: { name: string; url: string; ttlHours: number }) {
  return composeMail({
    subject: "Verify your email address for Circuitboard",
    greeting: `Hello ${name},`,
    paragraphs: [
      "Please confirm that this address is yours. Once it is verified, invitations sent to it can be seen and accepted.",
    ],
    action: { label: "Verify my address", url },
    footer: `The link works once and expires in ${ttlHours} hours. If you did not create a Circuitboard account, ignore this mail.`,
  });
}

/** Sent instead of a verification when someone signs up with an address that already has an account. */
export function accountExistsMail({
  name,
  signInUrl,
  resetUrl,
}: {
  name: string;
  signInUrl: string;
  resetUrl: string;
}) {
  return composeMail({
    subject: "You already have a Circuitboard account",
    greeting: `Hello ${name},`,
    paragraphs: [
      "Someone, probably you, tried to create a Circuitboard account with this address. It already has one, so no new account was made.",
      `Sign in at ${signInUrl}, or set a new password if you have forgotten it.`,
    ],
    action: { label: "Reset my password", url: resetUrl },
    footer: "If this was not you, you can ignore this mail: nothing has changed.",
  });
}

export function resetPasswordMail({ name, url, ttlMinutes }: { name: string; url: string; ttlMinutes: number }) {
  return composeMail({
    subject: "Reset your Circuitboard password",
    greeting: `Hello ${name},`,
    paragraphs: [
      "Someone asked to reset the password of the Circuitboard account for this address. Choose a new password with the link below; every device signed in to the account will be signed out.",
    ],
    action: { label: "Choose a new password", url },
    footer: `The link works once and expires in ${ttlMinutes} minutes. If you did not ask for this, ignore this mail: your password stays as it is.`,
  });
}

export function invitationMail(input: {
  inviterName: string;
  workspaceName: string;
  role: string;
  url: string;
  expiresAt: Date;
}) {
  return composeMail({
    subject: `${input.inviterName} invited you to ${input.workspaceName} on Circuitboard`,
    greeting: "Hello,",
    paragraphs: [
      `${input.inviterName} invited you to join the workspace "${input.workspaceName}" as ${input.role}.`,
      "Accept with an account for this address (sign up with it if you have none); the address must be verified.",
    ],
    action: { label: "Open the invitation", url: input.url },
    footer: `The invitation expires on ${input.expiresAt.toISOString().slice(0, 10)}. If you do not know ${input.inviterName}, ignore this mail.`,
  });
}

/**
 * A notification about activity (comments, mentions, replies). `lines` are shown as paragraphs, e.g. the
 * comment's excerpt; `reason` says why the reader gets it ("You were mentioned in …").
 */
export function notificationMail(input: {
  recipientName: string;
  subject: string;
  lines: string[];
  action: { label: string; url: string };
  reason: string;
}) {
  return composeMail({
    subject: input.subject,
    greeting: `Hello ${input.recipientName},`,
    paragraphs: input.lines,
    action: input.action,
    footer: input.reason,
  });
}
