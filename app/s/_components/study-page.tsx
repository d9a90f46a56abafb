/** The reader page of one published version (/s/:slug, /s/:slug/v/:n). */
import Link from "next/link";
import { CaseStudyReader } from "./case-study-reader";
import type { loadStudy } from "../load-study";

export function StudyPage({ study, isLatest }: { study: Awaited<ReturnType<typeof loadStudy>>; isLatest: boolean }) {
  const latest = study.versions[0]?.number ?? study.number;
  return (
    <>
      <p className="muted" style={{ margin: 0 }}>
        Case study · version {study.number}, published {study.publishedAt.toISOString().slice(0, 10)} by{" "}
        {study.publishedBy}
        {!isLatest || study.number !== latest ? (
          <>
            {" · "}
            <Link href={`/s/${encodeURIComponent(study.slug)}`}>latest version ({latest})</Link>
          </>
        ) : null}
        {study.versions.length > 1 && (
          <>
            {" · older: "}
            {study.versions
              .filter((v) => v.number !== study.number)
              .slice(0, 10)
              .map((v) => (
                <Link
                  key={v.number}
                  href={`/s/${encodeURIComponent(study.slug)}/v/${v.number}`}
                  style={{ marginRight: 6 }}
                >
                  v{v.number}
                </Link>
              ))}
          </>
        )}
      </p>
      <CaseStudyReader
        title={study.title}
        summary={study.summary}
        steps={study.steps}
        source={{ kind: "version", slug: study.slug, number: study.number }}
      />
    </>
  );
}
