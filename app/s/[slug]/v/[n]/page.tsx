/** /s/:slug/v/:n — one published version of a case study, by number (older versions stay readable). */
import type { Metadata } from "next";
import { loadStudy, parseVersionNumber, studyMetadata } from "../../../load-study";
import { StudyPage } from "../../../_components/study-page";

type TParams = Promise<{ slug: string; n: string }>;

export async function generateMetadata({ params }: { params: TParams }): Promise<Metadata> {
  const { slug, n } = await params;
  return studyMetadata(await loadStudy(slug, parseVersionNumber(n), false));
}

export default async function CaseStudyVersionPage({ params }: { params: TParams }) {
  const { slug, n } = await params;
  const study = await loadStudy(slug, parseVersionNumber(n), false);
  return <StudyPage study={study} isLatest={false} />;
}
