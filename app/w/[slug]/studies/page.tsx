/** /w/:slug/studies — the workspace's case studies (drafts and published), and a new one (editors). */
import { TRPCError } from "@trpc/server";
import Link from "next/link";
import { notFound } from "next/navigation";
import { mayPerform } from "~/server/authz/policy";
import { requireUser } from "~/server/auth/session";
import { serverApi } from "../../../_trpc/server";
import { NewStudyForm } from "./study-editor";

export default async function StudiesPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  await requireUser(`/w/${slug}/studies`);
  const api = await serverApi();
  const workspace = await api.workspace.get({ slug }).catch((e: unknown) => {
    if (e instanceof TRPCError && (e.code === "NOT_FOUND" || e.code === "BAD_REQUEST")) notFound();
    throw e;
  });
  const studies = await api.caseStudy.list({ slug });
  return (
    <>
      <p className="muted" style={{ margin: 0 }}>
        <Link href={`/w/${slug}`}>{workspace.name}</Link>
      </p>
      <h1>Case studies</h1>
      {mayPerform(workspace.role, "caseStudy.edit") && <NewStudyForm slug={slug} />}
      {studies.length === 0 ? (
        <p className="muted">No case studies yet.</p>
      ) : (
        <ul data-testid="studies">
          {studies.map((s) => (
            <li key={s.id}>
              <Link href={`/w/${slug}/studies/${s.id}`}>{s.title}</Link>{" "}
              <span className="muted">
                · {s.stepCount} steps ·{" "}
                {s.latestVersion ? (
                  <>
                    <Link href={`/s/${s.slug}`}>published v{s.latestVersion.number}</Link> ({s.latestVersion.visibility}
                    ){s.isDraftDirty ? " · unpublished edits" : ""}
                  </>
                ) : (
                  "draft"
                )}
              </span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
