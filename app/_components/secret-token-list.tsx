"use client";
// A list of named secrets the user creates and revokes (API keys in Settings, worker tokens on /workers):
// a create form, the new secret shown once, and a table of name, prefix, dates and status with a revoke
// button. The caller supplies the wording and the two mutations.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useAction } from "./use-action";

export interface TSecretTokenRow {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface TSecretTokenListProps {
  rows: readonly TSecretTokenRow[];
  /** Creates one and resolves to its secret (shown once). */
  create(name: string): Promise<string>;
  revoke(id: string): Promise<unknown>;
  labels: {
    /** The form's name, e.g. "Create API key". */
    form: string;
    /** The name field's label, e.g. "Key name". */
    name: string;
    nameMaxLength: number;
    namePlaceholder: string;
    submit: string;
    /** The sentence above the new secret. */
    fresh: string;
    freshTestId: string;
    /** The table's name, e.g. "API keys". */
    table: string;
    /** The prefix column's header, e.g. "Key". */
    secretColumn: string;
    revoke(row: TSecretTokenRow): string;
    /** Shown in the table when there are no rows (none: an empty table). */
    empty?: string;
  };
}

export function SecretTokenList({ rows, create, revoke, labels }: TSecretTokenListProps) {
  const router = useRouter();
  const { run, error, isPending } = useAction();
  const [fresh, setFresh] = useState<string>();
  return (
    <>
      <form
        className="inline"
        aria-label={labels.form}
        onSubmit={(e) => {
          e.preventDefault();
          const form = e.currentTarget;
          const name = String(new FormData(form).get("name"));
          void run(
            () => create(name),
            (secret) => {
              setFresh(secret);
              form.reset();
              router.refresh();
            },
          );
        }}
      >
        <label>
          {labels.name}
          <input name="name" required maxLength={labels.nameMaxLength} placeholder={labels.namePlaceholder} />
        </label>
        <button type="submit" disabled={isPending}>
          {labels.submit}
        </button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {fresh && (
        <div role="status" className="card">
          <p>{labels.fresh}</p>
          <code className="secret" data-testid={labels.freshTestId}>
            {fresh}
          </code>
        </div>
      )}
      <table aria-label={labels.table} style={{ marginTop: "1rem" }}>
        <thead>
          <tr>
            <th>Name</th>
            <th>{labels.secretColumn}</th>
            <th>Created</th>
            <th>Last used</th>
            <th>Status</th>
            <th>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <td>{row.name}</td>
              <td>
                <code>{row.prefix}…</code>
              </td>
              <td>{row.createdAt.toISOString().slice(0, 10)}</td>
              <td>{row.lastUsedAt ? row.lastUsedAt.toISOString().slice(0, 16).replace("T", " ") : "never"}</td>
              <td>
                <span className="badge">{row.revokedAt ? "revoked" : "active"}</span>
              </td>
              <td>
                {!row.revokedAt && (
                  <button type="button" className="secondary" onClick={() => void run(() => revoke(row.id))}>
                    {labels.revoke(row)}
                  </button>
                )}
              </td>
            </tr>
          ))}
          {rows.length === 0 && labels.empty && (
            <tr>
              <td colSpan={6} className="muted">
                {labels.empty}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </>
  );
}
