import Link from "next/link";
import { promptWithoutBos } from "@circuitboard/shared/graph-format";
import { serverApi } from "../_trpc/server";

export const metadata = { title: "Explore public graphs — Circuitboard" };

export default async function ExplorePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const { q } = await searchParams;
  const api = await serverApi();
  const [graphs, studies] = await Promise.all([
    api.graph.explore({ query: q?.slice(0, 200) }),
    api.caseStudy.explore({ query: q?.slice(0, 200) }),
  ]);
  return (
    <>
      {studies.length > 0 && (
        <section aria-label="Public case studies">
          <h1>Case studies</h1>
          <ul data-testid="explore-studies">
            {studies.map((s) => (
              <li key={s.slug}>
                <Link href={`/s/${s.slug}`}>{s.title}</Link>
                {s.summary ? <span className="muted"> · {s.summary.slice(0, 160)}</span> : null}
              </li>
            ))}
          </ul>
        </section>
      )}
      <h1>Public graphs</h1>
      <form
        className="inline"
        role="search"
        aria-label="Search public graphs"
        method="get"
        style={{ marginBottom: "1rem" }}
      >
        <label>
          Search title or prompt
          <input name="q" type="search" defaultValue={q ?? ""} maxLength={200} />
        </label>
        <button type="submit" className="secondary">
          Search
        </button>
      </form>
      {graphs.length === 0 ? (
        <p className="muted">{q ? `No public graph matches “${q}”.` : "No public graphs yet."}</p>
      ) : (
        <table aria-label="Public graphs">
          <thead>
            <tr>
              <th>Title</th>
              <th>Prompt</th>
              <th>Model</th>
              <th>Links</th>
              <th>Workspace</th>
              <th>Added</th>
            </tr>
          </thead>
          <tbody>
            {graphs.map((g) => (
              <tr key={g.id}>
                <td>
                  <Link href={`/g/${g.id}`}>{g.title}</Link>
                </td>
                <td
                  className="muted"
                  style={{ maxWidth: 260, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }}
                >
                  {promptWithoutBos(g.prompt)}
                </td>
                <td>{g.modelId}</td>
                <td>{g.linkCount.toLocaleString("en")}</td>
                <td>{g.workspaceName}</td>
                <td>{g.createdAt.toISOString().slice(0, 10)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
