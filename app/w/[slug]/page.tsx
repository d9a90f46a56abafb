import { TRPCError } from "@trpc/server";
import { promptWithoutBos } from "@circuitboard/shared/graph-format";
import Link from "next/link";
import { notFound } from "next/navigation";
import { mayAssignRole, mayPerform, mayRemoveMember } from "~/server/authz/policy";
import { ROLES } from "~/server/authz/roles";
import { requireUser } from "~/server/auth/session";
import { serverApi } from "../../_trpc/server";
import { GenerateGraph } from "./generate-graph";
import { GraphUpload } from "./graph-upload";
import { DangerZone, InvitationList, InviteForms, MemberControls, RenameForm } from "./workspace-controls";

const SORT_LABELS = { newest: "Newest first", oldest: "Oldest first", title: "Title", largest: "Most links" } as const;

export default async function WorkspacePage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const { slug } = await params;
  const { q, sort: sortParam } = await searchParams;
  const sort = sortParam && sortParam in SORT_LABELS ? (sortParam as keyof typeof SORT_LABELS) : "newest";
  const user = await requireUser(`/w/${slug}`);
  const api = await serverApi();
  const workspace = await api.workspace.get({ slug }).catch((e: unknown) => {
    if (e instanceof TRPCError && (e.code === "NOT_FOUND" || e.code === "BAD_REQUEST")) notFound();
    throw e;
  });
  const { role } = workspace;
  const canManageInvites = mayPerform(role, "invitation.list");
  const [members, invitations, graphs, studies] = await Promise.all([
    api.member.list({ slug }),
    canManageInvites ? api.invitation.list({ slug }) : Promise.resolve([]),
    api.graph.list({ slug, query: q?.slice(0, 200), sort }),
    api.caseStudy.list({ slug }),
  ]);
  const published = studies.filter((s) => s.latestVersion);

  return (
    <>
      <p className="muted" style={{ margin: 0 }}>
        Workspace {workspace.isPersonal && <span className="badge">personal</span>}{" "}
        <span className="badge" aria-label="Your role">
          {role}
        </span>
      </p>
      <h1>{workspace.name}</h1>
      <p>
        <Link href={`/w/${slug}/activity`}>Activity</Link>
        {" · "}
        <Link href={`/w/${slug}/labels`}>Label queue</Link>
        {" · "}
        <Link href={`/w/${slug}/studies`}>Case studies</Link>
      </p>
      {published.length > 0 && (
        <ul aria-label="Published case studies" data-testid="workspace-studies">
          {published.map((s) => (
            <li key={s.id}>
              <Link href={`/s/${s.slug}`}>{s.title}</Link>{" "}
              <span className="muted">(case study, {s.latestVersion!.visibility})</span>
            </li>
          ))}
        </ul>
      )}
      {mayPerform(role, "workspace.rename") && <RenameForm slug={slug} name={workspace.name} />}

      <h2>Graphs</h2>
      <GenerateGraph slug={slug} canGenerate={mayPerform(role, "graph.create")} />
      {mayPerform(role, "graph.create") && <GraphUpload slug={slug} />}
      <form className="inline" role="search" aria-label="Search graphs" method="get" style={{ margin: "1rem 0" }}>
        <label>
          Search title or prompt
          <input name="q" type="search" defaultValue={q ?? ""} maxLength={200} />
        </label>
        <label>
          Sort
          <select name="sort" defaultValue={sort}>
            {Object.entries(SORT_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="secondary">
          Apply
        </button>
      </form>
      {graphs.length === 0 ? (
        <p className="muted">{q ? `No graph matches “${q}”.` : "No graphs yet. Import a graph file above."}</p>
      ) : (
        <table aria-label="Graphs">
          <thead>
            <tr>
              <th>Title</th>
              <th>Prompt</th>
              <th>Nodes</th>
              <th>Links</th>
              <th>Visibility</th>
              <th>Added</th>
            </tr>
          </thead>
          <tbody>
            {graphs.map((g) => (
              <tr key={g.id}>
                <td>
                  <Link href={`/g/${g.id}`}>{g.title}</Link>
                  {g.source === "generated" && (
                    <>
                      {" "}
                      <span className="badge">generated</span>
                    </>
                  )}
                </td>
                <td
                  className="muted"
                  style={{ maxWidth: 260, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }}
                >
                  {promptWithoutBos(g.prompt)}
                </td>
                <td>{g.nodeCount.toLocaleString("en")}</td>
                <td>{g.linkCount.toLocaleString("en")}</td>
                <td>
                  <span className="badge">{g.visibility}</span>
                </td>
                <td>
                  {g.createdAt.toISOString().slice(0, 10)} <span className="muted">{g.createdBy}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>Members</h2>
      <table aria-label="Members">
        <thead>
          <tr>
            <th>Name</th>
            <th>Email</th>
            <th>Role</th>
            <th>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {members.map((m) => {
            const isSelf = m.userId === user.id;
            const assignable = ROLES.filter((r) => r === m.role || mayAssignRole(role, m.role, r));
            return (
              <tr key={m.userId}>
                <td>
                  {m.name}
                  {isSelf && <span className="muted"> (you)</span>}
                </td>
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
