/**
 * /s/:slug — a published case study (its latest version). Readable by whoever the version's visibility
 * allows (server/authz/case-study-access.ts): anyone for unlisted and public, members for workspace-only.
 */
import type { Metadata } from "next";
import { loadStudy, studyMetadata } from "../load-study";
import { StudyPage } from "../_components/study-page";

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }): Promise<Metadata> {
  return studyMetadata(await loadStudy((await params).slug, undefined, false));
}

export default async function CaseStudyPage({ params }: { params: Promise<{ slug: string }> }) {
  const study = await loadStudy((await params).slug, undefined, false);
  return <StudyPage study={study} isLatest />;
}
