"use client";
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { signIn } from "next-auth/react";
import { useState } from "react";
import { useTRPC } from "../_trpc/react";

export function SignUpForm({ callbackUrl }: { callbackUrl: string }) {
  const trpc = useTRPC();
  const signUp = useMutation(trpc.auth.signUp.mutationOptions());
  const [error, setError] = useState<string>();

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
    } catch (err) {
      setError((err as Error).message);
      return;
    }
    const res = await signIn("credentials", { email: input.email, password: input.password, redirect: false });
    if (res?.error) setError(res.error);
    else window.location.assign(callbackUrl);
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
          Password <span className="muted">(8 characters or more)</span>
          <input name="password" type="password" autoComplete="new-password" required minLength={8} />
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
        Already have an account? <Link href="/signin">Sign in</Link>
      </p>
    </>
  );
}
