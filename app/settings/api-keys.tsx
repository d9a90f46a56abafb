"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useAction } from "../_components/use-action";
import { useTRPC, type RouterOutputs } from "../_trpc/react";

export function ApiKeys({ keys }: { keys: RouterOutputs["apiKey"]["list"] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(trpc.apiKey.create.mutationOptions());
  const revoke = useMutation(trpc.apiKey.revoke.mutationOptions());
  const { run, error, isPending } = useAction();
  const [fresh, setFresh] = useState<string>();
  return (
    <>
      <form
        className="inline"
        aria-label="Create API key"
        onSubmit={(e) => {
          e.preventDefault();
          const form = e.currentTarget;
          const name = String(new FormData(form).get("name"));
          void run(
            () => create.mutateAsync({ name }),
            (k) => {
              setFresh(k.key);
              form.reset();
              router.refresh();
            },
          );
        }}
      >
        <label>
          Key name
          <input name="name" required maxLength={60} placeholder="e.g. laptop script" />
        </label>
        <button type="submit" disabled={isPending}>
          Create key
        </button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {fresh && (
        <div role="status" className="card">
          <p>Your new key. Copy it now: it will not be shown again.</p>
          <code className="secret" data-testid="new-api-key">
            {fresh}
          </code>
        </div>
      )}
      <table aria-label="API keys" style={{ marginTop: "1rem" }}>
        <thead>
          <tr>
            <th>Name</th>
            <th>Key</th>
            <th>Created</th>
            <th>Last used</th>
            <th>Status</th>
            <th>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {keys.map((k) => (
            <tr key={k.id}>
              <td>{k.name}</td>
              <td>
                <code>{k.prefix}…</code>
              </td>
              <td>{k.createdAt.toISOString().slice(0, 10)}</td>
              <td>{k.lastUsedAt ? k.lastUsedAt.toISOString().slice(0, 16).replace("T", " ") : "never"}</td>
              <td>{k.revokedAt ? <span className="badge">revoked</span> : <span className="badge">active</span>}</td>
              <td>
                {!k.revokedAt && (
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => void run(() => revoke.mutateAsync({ keyId: k.id }))}
                  >
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
          {keys.length === 0 && (
            <tr>
              <td colSpan={6} className="muted">
                No keys yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </>
  );
}
