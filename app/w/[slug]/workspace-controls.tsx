"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { Role } from "~/server/authz/roles";
import { useAction } from "../../_components/use-action";
import { useTRPC, type RouterOutputs } from "../../_trpc/react";

function ErrorLine({ error }: { error?: string }) {
  return error ? (
    <p role="alert" className="error">
      {error}
    </p>
  ) : null;
}

export function RenameForm({ slug, name }: { slug: string; name: string }) {
  const trpc = useTRPC();
  const rename = useMutation(trpc.workspace.rename.mutationOptions());
  const { run, error, isPending } = useAction();
  return (
    <form
      className="inline"
      aria-label="Rename workspace"
      onSubmit={(e) => {
        e.preventDefault();
        const next = String(new FormData(e.currentTarget).get("name"));
        void run(() => rename.mutateAsync({ slug, name: next }));
      }}
    >
      <label>
        Workspace name
        <input name="name" defaultValue={name} required maxLength={80} />
      </label>
      <button type="submit" className="secondary" disabled={isPending}>
        Rename
      </button>
      <ErrorLine error={error} />
    </form>
  );
}

export function MemberControls(
  props: { slug: string; userId: string; name: string; role: Role } & (
    { assignable: Role[]; removeOnly?: never } | { removeOnly: true; assignable?: never }
  ),
) {
  const trpc = useTRPC();
  const changeRole = useMutation(trpc.member.changeRole.mutationOptions());
  const remove = useMutation(trpc.member.remove.mutationOptions());
  const { run, error, isPending } = useAction();
  if (props.removeOnly) {
    return (
      <>
        <button
          type="button"
          className="secondary"
          disabled={isPending}
          onClick={() => {
            if (confirm(`Remove ${props.name} from this workspace?`))
              void run(() => remove.mutateAsync({ slug: props.slug, userId: props.userId }));
          }}
        >
          Remove
        </button>
        <ErrorLine error={error} />
      </>
    );
  }
  return (
    <>
      <select
        aria-label={`Role of ${props.name}`}
        defaultValue={props.role}
        disabled={isPending}
        onChange={(e) =>
          void run(() =>
            changeRole.mutateAsync({ slug: props.slug, userId: props.userId, role: e.target.value as Role }),
          )
        }
      >
        {props.assignable.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      <ErrorLine error={error} />
    </>
  );
}

export function InviteForms({ slug, roles }: { slug: string; roles: Role[] }) {
  const trpc = useTRPC();
  const create = useMutation(trpc.invitation.create.mutationOptions());
  const { run, error, isPending } = useAction();
  const [link, setLink] = useState<string>();
  const [mailed, setMailed] = useState<{ email: string; isMailed: boolean }>();
  const router = useRouter();
  return (
    <section className="card">
      <form
        className="inline"
        aria-label="Create invitation"
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          const email = String(form.get("email") ?? "").trim();
          void run(
            () => create.mutateAsync({ slug, role: form.get("role") as Role, ...(email ? { email } : {}) }),
            (inv) => {
              setLink(`${window.location.origin}/invite/${inv.token}`);
              setMailed(inv.email ? { email: inv.email, isMailed: inv.isMailed } : undefined);
              router.refresh();
            },
          );
        }}
      >
        <label htmlFor="invite-role">Invite as</label>
        <select id="invite-role" name="role" defaultValue={roles.includes("editor") ? "editor" : roles[0]}>
          {roles.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
        <label>
          Email <span className="muted">(optional; leave empty for a shareable link)</span>
          <input name="email" type="email" placeholder="colleague@example.org" />
        </label>
        <button type="submit" disabled={isPending}>
          Create invitation
        </button>
      </form>
      <ErrorLine error={error} />
      {link && (
        <div role="status">
          {mailed && (
            <p data-testid="invite-mailed">
              {mailed.isMailed
                ? `Mailed to ${mailed.email}. They accept it with an account for that address, once it is verified.`
                : `The mail to ${mailed.email} could not be sent; pass the link on yourself.`}
            </p>
          )}
          <p>Invitation link (shown once; it expires in 7 days and can be revoked below):</p>
          <code className="secret" data-testid="invite-link">
            {link}
          </code>
        </div>
      )}
    </section>
  );
}

export function InvitationList({
  slug,
  invitations,
}: {
  slug: string;
  invitations: RouterOutputs["invitation"]["list"];
}) {
  const trpc = useTRPC();
  const revoke = useMutation(trpc.invitation.revoke.mutationOptions());
  const { run, error } = useAction();
  return (
    <>
      <table aria-label="Invitations">
        <thead>
          <tr>
            <th>For</th>
            <th>Role</th>
            <th>Status</th>
            <th>Expires</th>
            <th>Uses</th>
            <th>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {invitations.map((inv) => (
            <tr key={inv.id}>
              <td>{inv.email ?? "anyone with the link"}</td>
              <td>{inv.role}</td>
              <td>
                <span className="badge">{inv.status}</span>
              </td>
              <td>{inv.expiresAt.toISOString().slice(0, 10)}</td>
              <td>{inv.useCount}</td>
              <td>
                {inv.status === "active" && (
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => void run(() => revoke.mutateAsync({ slug, invitationId: inv.id }))}
                  >
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ErrorLine error={error} />
    </>
  );
}

export function DangerZone({ slug, canDelete }: { slug: string; canDelete: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const leave = useMutation(trpc.workspace.leave.mutationOptions());
  const del = useMutation(trpc.workspace.delete.mutationOptions());
  const { run, error, isPending } = useAction();
  return (
    <>
      <h2>Leave or delete</h2>
      <section className="card">
        <button
          type="button"
          className="secondary"
          disabled={isPending}
          onClick={() => {
            if (confirm("Leave this workspace?"))
              void run(
                () => leave.mutateAsync({ slug }),
                () => router.push("/workspaces"),
              );
          }}
        >
          Leave workspace
        </button>
        {canDelete && (
          <form
            className="inline"
            style={{ marginTop: "1rem" }}
            aria-label="Delete workspace"
            onSubmit={(e) => {
              e.preventDefault();
              const confirmSlug = String(new FormData(e.currentTarget).get("confirmSlug"));
              void run(
                () => del.mutateAsync({ slug, confirmSlug }),
                () => router.push("/workspaces"),
              );
            }}
          >
            <label>
              Type <code>{slug}</code> to delete this workspace and everything in it
              <input name="confirmSlug" autoComplete="off" required />
            </label>
            <button type="submit" className="danger" disabled={isPending}>
              Delete workspace
            </button>
          </form>
        )}
        <ErrorLine error={error} />
      </section>
    </>
  );
}
