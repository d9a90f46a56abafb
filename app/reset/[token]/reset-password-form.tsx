"use client";
import { useMutation } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { useState } from "react";
import { useTRPC } from "../../_trpc/react";

export function ResetPasswordForm({ token }: { token: string }) {
  const trpc = useTRPC();
  const reset = useMutation(trpc.auth.resetPassword.mutationOptions());
  const [error, setError] = useState<string>();
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        const password = String(new FormData(e.currentTarget).get("password"));
        setError(undefined);
        reset.mutate(
          { token, password },
          {
            onError: (err) => setError(err.message.replace(/^token: /, "")),
            // Signed in with the new password straight away (this browser's old session ended with the reset).
            onSuccess: async ({ email }) => {
              const res = await signIn("credentials", { email, password, redirect: false });
              if (res?.error) setError(res.error);
              else window.location.assign("/workspaces");
            },
          },
        );
      }}
    >
      <label>
        New password <span className="muted">(8 characters or more, hard to guess)</span>
        <input name="password" type="password" autoComplete="new-password" required minLength={8} maxLength={200} />
      </label>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" disabled={reset.isPending}>
        {reset.isPending ? "Saving…" : "Set the new password"}
      </button>
    </form>
  );
}
