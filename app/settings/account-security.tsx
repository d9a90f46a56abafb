"use client";
import { useMutation } from "@tanstack/react-query";
import { signIn, signOut } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "../_trpc/react";

/** Change the password (this browser signs in again with it; every other session ends). */
export function ChangePasswordForm({ email, hasPassword }: { email: string; hasPassword: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const change = useMutation(trpc.account.changePassword.mutationOptions());
  const [error, setError] = useState<string>();
  const [isDone, setDone] = useState(false);
  if (!hasPassword) {
    return (
      <p className="muted">
        Your account has no password (you sign in with GitHub). To add one, use “Forgot your password?” on the sign-in
        page: the link goes to {email}.
      </p>
    );
  }
  return (
    <form
      className="stack"
      aria-label="Change password"
      onSubmit={(e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const data = new FormData(form);
        const newPassword = String(data.get("newPassword"));
        setError(undefined);
        setDone(false);
        change.mutate(
          { currentPassword: String(data.get("currentPassword")), newPassword },
          {
            onError: (err) => setError(err.message),
            onSuccess: async () => {
              const res = await signIn("credentials", { email, password: newPassword, redirect: false });
              if (res?.error) return setError(res.error);
              form.reset();
              setDone(true);
              router.refresh();
            },
          },
        );
      }}
    >
      <label>
        Current password
        <input name="currentPassword" type="password" autoComplete="current-password" required maxLength={200} />
      </label>
      <label>
        New password
        <input name="newPassword" type="password" autoComplete="new-password" required minLength={8} maxLength={200} />
      </label>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {isDone && <p role="status">Password changed. Every other device was signed out and your API keys revoked.</p>}
      <button type="submit" disabled={change.isPending}>
        {change.isPending ? "Saving…" : "Change password"}
      </button>
    </form>
  );
}

export function SignOutEverywhere() {
  const trpc = useTRPC();
  const end = useMutation(trpc.account.signOutEverywhere.mutationOptions());
  return (
    <>
      <button
        type="button"
        className="secondary"
        disabled={end.isPending}
        onClick={() => end.mutate(undefined, { onSuccess: () => void signOut({ callbackUrl: "/signin" }) })}
      >
        Sign out everywhere
      </button>
      {end.error && (
        <p role="alert" className="error">
          {end.error.message}
        </p>
      )}
    </>
  );
}
