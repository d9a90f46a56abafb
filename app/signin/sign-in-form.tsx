"use client";
import Link from "next/link";
import { signIn } from "next-auth/react";
import { useState } from "react";

export function SignInForm(props: { callbackUrl: string; initialError?: string; isGithubEnabled: boolean }) {
  const [error, setError] = useState(
    props.initialError === "CredentialsSignin" ? "Wrong email or password" : props.initialError,
  );
  const [isPending, setPending] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setPending(true);
    setError(undefined);
    const res = await signIn("credentials", {
      email: String(form.get("email")),
      password: String(form.get("password")),
      redirect: false,
    });
    setPending(false);
    if (res?.error) setError(res.error === "CredentialsSignin" ? "Wrong email or password" : res.error);
    else window.location.assign(props.callbackUrl);
  }

  return (
    <>
      <form className="stack" onSubmit={onSubmit} aria-describedby={error ? "signin-error" : undefined}>
        <label>
          Email
          <input name="email" type="email" autoComplete="email" required />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        {error && (
          <p id="signin-error" role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={isPending}>
          {isPending ? "Signing in…" : "Sign in"}
        </button>
      </form>
      {props.isGithubEnabled && (
        <p>
          <button
            type="button"
            className="secondary"
            onClick={() => void signIn("github", { callbackUrl: props.callbackUrl })}
          >
            Sign in with GitHub
          </button>
        </p>
      )}
      <p className="muted">
        <Link href="/reset">Forgot your password?</Link> · No account?{" "}
        <Link href={`/signup?callbackUrl=${encodeURIComponent(props.callbackUrl)}`}>Sign up</Link>
      </p>
    </>
  );
}
