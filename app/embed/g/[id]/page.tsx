/**
 * /embed/g/:id[?s=subgraphId] — the viewer for another site's <iframe>: the graph and its panels, no site
 * chrome, no saving, a link back to the full page. Rendered for an anonymous visitor whatever cookies come
 * with the request (anonymousServerApi), so only public and unlisted graphs render; a private graph is the
 * 404 page here even for its own members. Framing is allowed for this prefix only (server/http/framing.ts).
 */
import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { anonymousServerApi } from "~/app/_trpc/server";
import { GraphViewer } from "../../../(viewer)/_components/graph-viewer";
import styles from "../../../(viewer)/viewer.module.css";

type TSearchParams = Record<string, string | string[] | undefined>;

function isAbsent(error: unknown): boolean {
  return error instanceof TRPCError && ["NOT_FOUND", "BAD_REQUEST", "UNAUTHORIZED", "FORBIDDEN"].includes(error.code);
}

export const metadata: Metadata = { title: "Circuitboard graph", robots: { index: false } };

export default async function EmbedGraphPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<TSearchParams>;
}) {
  const { id } = await params;
  const query = await searchParams;
  const api = await anonymousServerApi();
  const graph = await api.graph.get({ graphId: id }).catch((error: unknown) => {
    if (isAbsent(error)) notFound();
    throw error;
  });
  // Belt and braces: the anonymous caller cannot read a private graph, and an embed never shows one.
  if (graph.visibility === "private") notFound();
  const subgraphId = typeof query.s === "string" && query.s !== "" ? query.s : null;
  const found = subgraphId ? await api.subgraph.get({ subgraphId }).catch(() => null) : null;
  const subgraph =
    found && found.graphId === graph.id
      ? {
          id: found.id,
          name: found.name,
          state: {
            pinnedIds: found.state.pinnedIds,
            supernodes: found.state.supernodes,
            clerps: found.state.clerps,
            clickedId: found.state.clickedId,
            pruningThreshold: found.state.pruningThreshold ?? null,
            positions: found.state.positions,
          },
        }
      : null;
  const fullPage = `/g/${encodeURIComponent(graph.id)}${subgraph ? `?s=${encodeURIComponent(subgraph.id)}` : ""}`;
  return (
    <div className={styles.embedRoot} data-testid="embed">
      <header className={styles.embedHead}>
        <a href={fullPage} target="_blank" rel="noopener">
          {graph.title}
        </a>
        <span className="muted"> · Circuitboard{subgraph ? ` · ${subgraph.name}` : ""}</span>
      </header>
      <GraphViewer
        graphId={graph.id}
        title={graph.title}
        searchParams={query}
        subgraph={subgraph}
        canSave={false}
        isSignedIn={false}
        isEmbed
        facts={{
          title: graph.title,
          description: graph.description,
          modelId: graph.modelId,
          transcoderSet: graph.transcoderSet,
        }}
      />
    </div>
  );
}
