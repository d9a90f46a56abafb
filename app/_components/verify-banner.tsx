"use client";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "../_trpc/react";

/** Shown on every page while the signed-in user's address is unverified. */
export function VerifyBanner({ email }: { email: string }) {
  const trpc = useTRPC();
  const resend = useMutation(trpc.account.resendVerification.mutationOptions());
  return (
    <div role="region" aria-label="Verify your email" className="banner">
      <span>
        Your address <strong>{email}</strong> is not verified yet: follow the link we mailed you. Invitations sent to it
        appear once it is verified.
      </span>{" "}
      {resend.isSuccess ? (
        <span role="status">
          {resend.data.isAlreadyVerified ? "It is verified already." : "Sent: check your mail."}
        </span>
      ) : (
        <button type="button" className="secondary" disabled={resend.isPending} onClick={() => resend.mutate()}>
          Resend the link
        </button>
      )}
      {resend.error && (
        <span role="alert" className="error">
          {" "}
          {resend.error.message}
        </span>
      )}
    </div>
  );
}
