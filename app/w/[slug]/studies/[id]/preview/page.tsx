/** /w/:slug/studies/:id/preview — the DRAFT as a reader will see it (members; graphs read through their own route). */
import { TRPCError } from "@trpc/server";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireUser } from "~/server/auth/session";
import { serverApi } from "../../../../../_trpc/server";
import { CaseStudyReader } from "../../../../../s/_components/case-study-reader";

export default async function StudyPreviewPage({ params }: { params: Promise<{ slug: string; id: string }> }) {
  const { slug, id } = await params;
  await requireUser(`/w/${slug}/studies/${id}/preview`);
  const api = await serverApi();
  const draft = await api.caseStudy.get({ caseStudyId: id }).catch((e: unknown) => {
    if (e instanceof TRPCError && (e.code === "NOT_FOUND" || e.code === "BAD_REQUEST")) notFound();
    throw e;
  });
  return (
    <>
      <p className="muted" style={{ margin: 0 }}>
        Preview of the draft · <Link href={`/w/${slug}/studies/${id}`}>back to editing</Link>
      </p>
      <CaseStudyReader
        title={draft.title}
        summary={draft.summary}
        steps={draft.steps.map((s, index) => ({ ...s, index, isGraphDeleted: s.graphId !== null && !s.graphTitle }))}
        source={{ kind: "draft" }}
      />
    </>
  );
}
