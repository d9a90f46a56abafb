/** Every mail template: a subject, both bodies, the action link in both, and user text escaped in the HTML. */
import { expect, it } from "vitest";
import {
  accountExistsMail,
  invitationMail,
  notificationMail,
  resetPasswordMail,
  verifyEmailMail,
  type MailContent,
} from "~/server/mail/templates";

const EVIL = `Eve <img src=x onerror=alert(1)> & "friends"`;
const URL = "https://app.example.org/x/tok_123?a=1&b=2";

const CASES: { name: string; mail: MailContent; link: string }[] = [
  { name: "verification", mail: verifyEmailMail({ name: EVIL, url: URL, ttlHours: 48 }), link: URL },
  {
    name: "account exists",
    mail: accountExistsMail({ name: EVIL, signInUrl: "https://app.example.org/signin", resetUrl: URL }),
    link: URL,
  },
  { name: "password reset", mail: resetPasswordMail({ name: EVIL, url: URL, ttlMinutes: 60 }), link: URL },
  {
    name: "invitation",
    mail: invitationMail({ inviterName: EVIL, workspaceName: EVIL, role: "editor", url: URL, expiresAt: new Date() }),
    link: URL,
  },
  {
    name: "notification",
    mail: notificationMail({
      recipientName: "Ada",
      subject: "New comment",
      lines: [EVIL],
      action: { label: "Open the comment", url: URL },
      reason: "You were mentioned.",
    }),
    link: URL,
  },
];

for (const { name, mail, link } of CASES) {
  it(`${name}: subject, the link in both bodies, user text escaped in HTML`, () => {
    expect(mail.subject.length).toBeGreaterThan(0);
    expect(mail.text).toContain(link);
    expect(mail.text).toContain(EVIL); // plain text is shown as text
    expect(mail.html).toContain(`href="${link.replace(/&/g, "&amp;")}"`);
    expect(mail.html).not.toContain("<img");
    expect(mail.html).toContain("Eve &lt;img src=x onerror=alert(1)&gt; &amp; &quot;friends&quot;");
  });
}
