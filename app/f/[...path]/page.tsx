/**
 * /f/<model>/<set>/<layer>/<index> — a feature across graphs (ids URL-encoded, "_" for an unknown model):
 * its labels with votes and history, the graphs in the reader's reach that contain it (each opens the graph
 * with the node selected), and a place for its dashboard. Signed-in readers only (labels' public scope is
 * every signed-in user's).
 */
import Link from "next/link";
import { notFound } from "next/navigation";
import { parseFeaturePagePath } from "@circuitboard/shared/graph-format";
import { serverApi } from "~/app/_trpc/server";
import { requireUser } from "~/server/auth/session";
import { FeatureLabels } from "./feature-labels";
import { FeatureDashboard } from "~/app/_components/feature-dashboard/feature-dashboard";

function formatNumber(v: number | null): string {
  return v === null ? "—" : Math.abs(v) >= 1000 || Math.abs(v) < 0.01 ? v.toExponential(2) : v.toFixed(3);
}

export default async function FeaturePage({ params }: { params: Promise<{ path: string[] }> }) {
  const { path } = await params;
  const feature = parseFeaturePagePath(path);
  if (!feature) notFound();
  await requireUser(`/f/${path.join("/")}`);
  const api = await serverApi();
  const [graphs, workspaces] = await Promise.all([api.label.graphs({ feature }), api.workspace.list()]);
  return (
    <>
      <p className="muted">
        {feature.modelId || "unknown model"} · <code>{feature.transcoderSetId}</code>
      </p>
      <h1 data-testid="feature-title">
        Feature L{feature.layer} #{feature.index}
      </h1>

      <section aria-labelledby="labels-title">
        <h2 id="labels-title">Labels</h2>
        <FeatureLabels feature={feature} workspaces={workspaces.map((w) => ({ slug: w.slug, name: w.name }))} />
      </section>

      <section aria-labelledby="dashboard-title">
        <h2 id="dashboard-title">Dashboard</h2>
        <FeatureDashboard feature={feature} variant="full" />
      </section>

      <section aria-labelledby="graphs-title">
        <h2 id="graphs-title">Graphs that contain it</h2>
        {graphs.length === 0 ? (
          <p className="muted">No graph you can see contains this feature.</p>
        ) : (
          <table data-testid="feature-graphs">
            <thead>
              <tr>
                <th>Graph</th>
                <th>Workspace</th>
                <th>Positions</th>
                <th>Activation</th>
                <th>Influence</th>
              </tr>
            </thead>
            <tbody>
              {graphs.map((g) => (
                <tr key={g.graphId} data-testid="feature-graph">
                  <td>
                    <Link href={`/g/${encodeURIComponent(g.graphId)}?clickedId=${encodeURIComponent(g.nodeId)}`}>
                      {g.title}
                    </Link>
                  </td>
                  <td>{g.workspace.name}</td>
                  <td>{g.occurrences.map((o) => o.ctxIdx).join(", ")}</td>
                  <td>{formatNumber(g.occurrences[0]!.activation)}</td>
                  <td>{formatNumber(g.occurrences[0]!.influence)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="discussion-title">
        <h2 id="discussion-title">Discussion</h2>
        <p className="muted">Comments on a feature are not available yet; discuss it on a graph&apos;s node.</p>
      </section>
    </>
  );
}
