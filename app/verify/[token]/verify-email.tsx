"use client";
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "../../_trpc/react";

export function VerifyEmail({ token }: { token: string }) {
  const trpc = useTRPC();
  const verify = useMutation(trpc.auth.verifyEmail.mutationOptions());
  if (verify.isSuccess) {
    return (
      <div role="status">
        <p>
          Your address <strong>{verify.data.email}</strong> is verified.
        </p>
        <p>
          <Link href="/workspaces">Continue to your workspaces</Link>
        </p>
      </div>
    );
  }
  return (
    <>
      <p>Confirm that this address is yours.</p>
      <button type="button" disabled={verify.isPending} onClick={() => verify.mutate({ token })}>
        {verify.isPending ? "Verifying…" : "Verify my address"}
      </button>
      {verify.error && (
        <p role="alert" className="error">
          {verify.error.message.replace(/^token: /, "")}
        </p>
      )}
    </>
  );
}
