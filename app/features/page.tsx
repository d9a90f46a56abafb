/** /features?q= — find features by label text, or by position ("L3 #451", "3_451"), across what you may see. */
import Link from "next/link";
import { featurePagePath } from "@circuitboard/shared/graph-format";
import { serverApi } from "~/app/_trpc/server";
import { requireUser } from "~/server/auth/session";

export default async function FeatureSearchPage({
  searchParams,
}: {
  searchParams: Promise<{ q?: string | string[] }>;
}) {
  const raw = (await searchParams).q;
  const q = (Array.isArray(raw) ? raw[0] : raw)?.slice(0, 200) ?? "";
  await requireUser(`/features${q ? `?q=${encodeURIComponent(q)}` : ""}`);
  const hits = q.trim() === "" ? [] : await (await serverApi()).label.search({ query: q });
  return (
    <>
      <h1>Features</h1>
      <form action="/features" role="search">
        <label htmlFor="feature-query" className="sr-only">
          Search features
        </label>
        <input id="feature-query" name="q" defaultValue={q} placeholder="A label, or L3 #451" maxLength={200} />{" "}
        <button type="submit">Search</button>
      </form>
      {q.trim() !== "" && hits.length === 0 && <p className="muted">No feature you can see matches.</p>}
      <ul data-testid="feature-hits">
        {hits.map((h) => (
          <li key={`${h.feature.modelId}/${h.feature.transcoderSetId}/${h.feature.layer}/${h.feature.index}`}>
            <Link href={featurePagePath(h.feature)}>
              Feature L{h.feature.layer} #{h.feature.index}
            </Link>{" "}
            <span className="muted">
              {h.feature.modelId} · {h.feature.transcoderSetId}
            </span>
            {h.label !== null && <> — {h.label}</>}
          </li>
        ))}
      </ul>
    </>
  );
}
