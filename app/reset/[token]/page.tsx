import type { Metadata } from "next";
import { ResetPasswordForm } from "./reset-password-form";

// The token is in the path: never send it on to another site in a Referer header.
export const metadata: Metadata = { title: "Choose a new password · Circuitboard", referrer: "no-referrer" };

export default async function ResetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return (
    <>
      <h1>Choose a new password</h1>
      <p className="muted">Every device signed in to your account will be signed out, and its API keys revoked.</p>
      <ResetPasswordForm token={token} />
    </>
  );
}
