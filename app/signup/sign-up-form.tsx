"use client";
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "../_trpc/react";

/**
 * Sign-up answers "check your mail" whatever the address: whether it already had an account is told
 * only to its mailbox. The new account can sign in at once; the mailed link verifies the address.
 */
export function SignUpForm({ callbackUrl }: { callbackUrl: string }) {
  const trpc = useTRPC();
  const signUp = useMutation(trpc.auth.signUp.mutationOptions());
  const [error, setError] = useState<string>();
  const [sentTo, setSentTo] = useState<string>();

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const input = {
      name: String(form.get("name")),
      email: String(form.get("email")),
      password: String(form.get("password")),
    };
    setError(undefined);
    try {
      await signUp.mutateAsync(input);
      setSentTo(input.email.trim());
    } catch (err) {
      setError((err as Error).message);
    }
  }

  const signInHref = `/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`;
  if (sentTo) {
    return (
      <section role="status" className="card">
        <h2 style={{ marginTop: 0 }}>Check your mail</h2>
        <p>
          We sent a message to <strong>{sentTo}</strong>. Follow its link to verify your address: invitations sent to it
          can be seen and accepted once it is verified.
        </p>
        <p>
          <Link href={signInHref}>Sign in</Link> to continue.
        </p>
      </section>
    );
  }
  return (
    <>
      <form className="stack" onSubmit={onSubmit}>
        <label>
          Name
          <input name="name" autoComplete="name" required maxLength={100} />
        </label>
        <label>
          Email
          <input name="email" type="email" autoComplete="email" required />
        </label>
        <label>
          Password <span className="muted">(8 characters or more, hard to guess: a few uncommon words work well)</span>
          <input name="password" type="password" autoComplete="new-password" required minLength={8} maxLength={200} />
        </label>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={signUp.isPending}>
          {signUp.isPending ? "Creating…" : "Create account"}
        </button>
      </form>
      <p className="muted">
        Already have an account? <Link href={signInHref}>Sign in</Link>
      </p>
    </>
  );
}
