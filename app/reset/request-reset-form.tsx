"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../_trpc/react";

/** The answer is the same whether or not the address has an account: only its mailbox learns which. */
export function RequestResetForm() {
  const trpc = useTRPC();
  const request = useMutation(trpc.auth.requestPasswordReset.mutationOptions());
  const [sentTo, setSentTo] = useState<string>();
  if (sentTo) {
    return (
      <section role="status" className="card">
        <h2 style={{ marginTop: 0 }}>Check your mail</h2>
        <p>
          If <strong>{sentTo}</strong> has an account, a link to reset its password is on its way. The link works once
          and expires soon.
        </p>
      </section>
    );
  }
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        const email = String(new FormData(e.currentTarget).get("email")).trim();
        request.mutate({ email }, { onSuccess: () => setSentTo(email) });
      }}
    >
      <label>
        Email
        <input name="email" type="email" autoComplete="email" required />
      </label>
      {request.error && (
        <p role="alert" className="error">
          {request.error.message}
        </p>
      )}
      <button type="submit" disabled={request.isPending}>
        {request.isPending ? "Sending…" : "Send the link"}
      </button>
    </form>
  );
}
