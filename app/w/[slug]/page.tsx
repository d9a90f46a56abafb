import { TRPCError } from "@trpc/server";
import { notFound } from "next/navigation";
import { mayAssignRole, mayPerform, mayRemoveMember } from "~/server/authz/policy";
import { ROLES } from "~/server/authz/roles";
import { requireUser } from "~/server/auth/session";
import { serverApi } from "../../_trpc/server";
import { DangerZone, InvitationList, InviteForms, MemberControls, RenameForm } from "./workspace-controls";

export default async function WorkspacePage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const user = await requireUser(`/w/${slug}`);
  const api = await serverApi();
  const workspace = await api.workspace.get({ slug }).catch((e: unknown) => {
    if (e instanceof TRPCError && (e.code === "NOT_FOUND" || e.code === "BAD_REQUEST")) notFound();
    throw e;
  });
  const { role } = workspace;
  const canManageInvites = mayPerform(role, "invitation.list");
  const [members, invitations] = await Promise.all([
    api.member.list({ slug }),
    canManageInvites ? api.invitation.list({ slug }) : Promise.resolve([]),
  ]);

  return (
    <>
      <p className="muted" style={{ margin: 0 }}>
        Workspace {workspace.isPersonal && <span className="badge">personal</span>} <span className="badge" aria-label="Your role">{role}</span>
      </p>
      <h1>{workspace.name}</h1>
      {mayPerform(role, "workspace.rename") && <RenameForm slug={slug} name={workspace.name} />}

      <h2>Graphs</h2>
      <section className="card" aria-label="Graphs">
        <p className="muted" style={{ margin: 0 }}>No graphs yet. Graph import and generation arrive with the graphs feature.</p>
      </section>

      <h2>Members</h2>
      <table aria-label="Members">
        <thead><tr><th>Name</th><th>Email</th><th>Role</th><th><span className="sr-only">Actions</span></th></tr></thead>
        <tbody>
          {members.map((m) => {
            const isSelf = m.userId === user.id;
            const assignable = ROLES.filter((r) => r === m.role || mayAssignRole(role, m.role, r));
            return (
              <tr key={m.userId}>
                <td>{m.name}{isSelf && <span className="muted"> (you)</span>}</td>
                <td>{m.email}</td>
                <td>
                  {!isSelf && mayPerform(role, "member.changeRole") && assignable.length > 1 ? (
                    <MemberControls slug={slug} userId={m.userId} name={m.name} role={m.role} assignable={assignable} />
                  ) : (
                    m.role
                  )}
                </td>
                <td>
                  {!isSelf && mayPerform(role, "member.remove") && mayRemoveMember(role, m.role) && (
                    <MemberControls slug={slug} userId={m.userId} name={m.name} role={m.role} removeOnly />
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>

      {canManageInvites && !workspace.isPersonal && (
        <>
          <h2>Invite people</h2>
          <InviteForms slug={slug} roles={ROLES.filter((r) => mayAssignRole(role, null, r))} />
          {invitations.length > 0 && <InvitationList slug={slug} invitations={invitations} />}
        </>
      )}

      {!workspace.isPersonal && <DangerZone slug={slug} canDelete={mayPerform(role, "workspace.delete")} />}
    </>
  );
}
