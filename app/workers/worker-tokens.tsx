"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useAction } from "../_components/use-action";
import { useTRPC, type RouterOutputs } from "../_trpc/react";

export function WorkerTokens({ tokens }: { tokens: RouterOutputs["worker"]["tokens"] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(trpc.worker.createToken.mutationOptions());
  const revoke = useMutation(trpc.worker.revokeToken.mutationOptions());
  const { run, error, isPending } = useAction();
  const [fresh, setFresh] = useState<string>();
  return (
    <>
      <form
        className="inline"
        aria-label="Create worker token"
        onSubmit={(e) => {
          e.preventDefault();
          const form = e.currentTarget;
          const name = String(new FormData(form).get("name"));
          void run(
            () => create.mutateAsync({ name }),
            (t) => {
              setFresh(t.token);
              form.reset();
              router.refresh();
            },
          );
        }}
      >
        <label>
          Token name
          <input name="name" required maxLength={80} placeholder="e.g. lab-gpu-1" />
        </label>
        <button type="submit" disabled={isPending}>
          Create token
        </button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {fresh && (
        <div role="status" className="card">
          <p>The new worker token. Copy it now: it will not be shown again.</p>
          <code className="secret" data-testid="new-worker-token">
            {fresh}
          </code>
        </div>
      )}
      <table aria-label="Worker tokens" style={{ marginTop: "1rem" }}>
        <thead>
          <tr>
            <th>Name</th>
            <th>Token</th>
            <th>Created</th>
            <th>Last used</th>
            <th>Status</th>
            <th>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((t) => (
            <tr key={t.id}>
              <td>{t.name}</td>
              <td>
                <code>{t.prefix}…</code>
              </td>
              <td>{t.createdAt.toISOString().slice(0, 10)}</td>
              <td>{t.lastUsedAt ? t.lastUsedAt.toISOString().slice(0, 16).replace("T", " ") : "never"}</td>
              <td>{t.revokedAt ? <span className="badge">revoked</span> : <span className="badge">active</span>}</td>
              <td>
                {!t.revokedAt && (
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => void run(() => revoke.mutateAsync({ tokenId: t.id }))}
                  >
                    Revoke {t.name}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
