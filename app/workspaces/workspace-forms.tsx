"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useAction } from "../_components/use-action";
import { useTRPC, type RouterOutputs } from "../_trpc/react";

export function CreateWorkspaceForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(trpc.workspace.create.mutationOptions());
  const { run, error, isPending } = useAction();
  return (
    <form
      className="inline"
      onSubmit={(e) => {
        e.preventDefault();
        const name = String(new FormData(e.currentTarget).get("name"));
        void run(
          () => create.mutateAsync({ name }),
          (w) => router.push(`/w/${w.slug}`),
        );
      }}
    >
      <label>
        Workspace name
        <input name="name" required maxLength={80} placeholder="e.g. Induction heads reading group" />
      </label>
      <button type="submit" disabled={isPending}>
        Create workspace
      </button>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </form>
  );
}

export function PendingInvitations({ invitations }: { invitations: RouterOutputs["invitation"]["mine"] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const accept = useMutation(trpc.invitation.acceptMine.mutationOptions());
  const { run, error } = useAction();
  return (
    <section className="card" aria-label="Invitations for you">
      <h2 style={{ marginTop: 0 }}>Invitations for you</h2>
      <ul className="plain">
        {invitations.map((inv) => (
          <li key={inv.id}>
            <span>{inv.workspaceName}</span>
            <span className="badge">{inv.role}</span>
            <button
              type="button"
              onClick={() =>
                void run(
                  () => accept.mutateAsync({ invitationId: inv.id }),
                  (r) => router.push(`/w/${r.slug}`),
                )
              }
            >
              Join
            </button>
          </li>
        ))}
      </ul>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}
