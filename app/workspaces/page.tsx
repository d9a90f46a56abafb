import Link from "next/link";
import { requireUser } from "~/server/auth/session";
import { serverApi } from "../_trpc/server";
import { CreateWorkspaceForm, PendingInvitations } from "./workspace-forms";

export default async function WorkspacesPage() {
  await requireUser("/workspaces");
  const api = await serverApi();
  const [workspaces, invitations] = await Promise.all([api.workspace.list(), api.invitation.mine()]);
  return (
    <>
      <h1>Workspaces</h1>
      {invitations.length > 0 && <PendingInvitations invitations={invitations} />}
      <ul className="plain" aria-label="Your workspaces">
        {workspaces.map((w) => (
          <li key={w.id}>
            <Link href={`/w/${w.slug}`}>{w.name}</Link>
            {w.isPersonal && <span className="badge">personal</span>}
            <span className="badge">{w.role}</span>
            <span className="muted">
              {w.memberCount} member{w.memberCount === 1 ? "" : "s"}
            </span>
          </li>
        ))}
      </ul>
      <h2>New team workspace</h2>
      <CreateWorkspaceForm />
    </>
  );
}
