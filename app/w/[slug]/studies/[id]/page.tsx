/** /w/:slug/studies/:id — author a case study (members read the draft; editors write and publish it). */
import { TRPCError } from "@trpc/server";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireUser } from "~/server/auth/session";
import { serverApi } from "../../../../_trpc/server";
import { StudyEditor } from "../study-editor";

export default async function StudyEditorPage({ params }: { params: Promise<{ slug: string; id: string }> }) {
  const { slug, id } = await params;
  await requireUser(`/w/${slug}/studies/${id}`);
  const api = await serverApi();
  const draft = await api.caseStudy.get({ caseStudyId: id }).catch((e: unknown) => {
    if (e instanceof TRPCError && (e.code === "NOT_FOUND" || e.code === "BAD_REQUEST")) notFound();
    throw e;
  });
  if (draft.workspace.slug !== slug) notFound();
  return (
    <>
      <p className="muted" style={{ margin: 0 }}>
        <Link href={`/w/${slug}`}>{draft.workspace.name}</Link> · <Link href={`/w/${slug}/studies`}>Case studies</Link>
      </p>
      <StudyEditor caseStudyId={id} slug={slug} />
    </>
  );
}
