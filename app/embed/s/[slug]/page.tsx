/**
 * /embed/s/:slug — a published case study for another site's <iframe>: minimal chrome, rendered for an
 * anonymous visitor whatever cookies come (public and unlisted versions only; framing: server/http/framing.ts).
 */
import type { Metadata } from "next";
import { CaseStudyReader } from "../../../s/_components/case-study-reader";
import { loadStudy } from "../../../s/load-study";
import viewerStyles from "../../../(viewer)/viewer.module.css";

export const metadata: Metadata = { title: "Circuitboard case study", robots: { index: false } };

export default async function EmbedCaseStudyPage({ params }: { params: Promise<{ slug: string }> }) {
  const study = await loadStudy((await params).slug, undefined, true);
  return (
    <div className={viewerStyles.embedRoot} data-testid="embed">
      <header className={viewerStyles.embedHead}>
        <a href={`/s/${encodeURIComponent(study.slug)}`} target="_blank" rel="noopener">
          {study.title}
        </a>
        <span className="muted"> · Circuitboard case study</span>
      </header>
      <CaseStudyReader
        title={study.title}
        summary={study.summary}
        steps={study.steps}
        source={{ kind: "version", slug: study.slug, number: study.number }}
        isEmbed
      />
    </div>
  );
}
