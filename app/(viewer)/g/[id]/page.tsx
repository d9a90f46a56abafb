/**
 * /g/:id — the graph viewer. Readable by whoever may read the graph (members; anyone for unlisted and
 * public graphs); everyone else gets the 404 page, as if it did not exist. `?s=<subgraphId>` opens a saved
 * subgraph; the Neuronpedia keys (pinnedIds, supernodes, clickedId, pruningThreshold, clerps) open a view.
 */
import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import Link from "next/link";
import { promptWithoutBos } from "@circuitboard/shared/graph-format";
import { notFound } from "next/navigation";
import { cache } from "react";
import { serverApi } from "~/app/_trpc/server";
import { getSessionUser } from "~/server/auth/session";
import { mayPerform } from "~/server/authz/policy";
import { GraphSettings } from "../../_components/graph-settings";
import { GraphViewer } from "../../_components/graph-viewer";
import { ShareMenu } from "../../_components/share-menu";
import styles from "../../viewer.module.css";

type TSearchParams = Record<string, string | string[] | undefined>;

function isAbsent(error: unknown): boolean {
  return error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST");
}

const loadGraph = cache(async (graphId: string) => {
  const api = await serverApi();
  return api.graph.get({ graphId }).catch((error: unknown) => {
    if (isAbsent(error)) notFound();
    throw error;
  });
});

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const graph = await loadGraph((await params).id);
  return { title: `${graph.title} · Circuitboard`, description: graph.prompt.slice(0, 200) };
}

export default async function GraphPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<TSearchParams>;
}) {
  const { id } = await params;
  const query = await searchParams;
  const graph = await loadGraph(id);
  const subgraphId = typeof query.s === "string" && query.s !== "" ? query.s : null;
  const api = await serverApi();
  const found = subgraphId
    ? await api.subgraph.get({ subgraphId }).catch((error: unknown) => {
        if (isAbsent(error)) return null;
        throw error;
      })
    : null;
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
  const user = await getSessionUser();

  return (
    <>
      <header className={styles.head}>
        <h1>{graph.title}</h1>
        <span className="muted">
          {graph.role ? <Link href={`/w/${graph.workspace.slug}`}>{graph.workspace.name}</Link> : graph.workspace.name}
          {" · "}
          {graph.nodeCount.toLocaleString("en")} nodes · {graph.linkCount.toLocaleString("en")} links
        </span>
        <span className="badge">{graph.visibility}</span>
        {subgraph && (
          <span className="badge" data-testid="subgraph-name">
            subgraph: {subgraph.name}
          </span>
        )}
        <span className={styles.prompt} title="Prompt">
          {promptWithoutBos(graph.prompt)}
        </span>
        <GraphSettings
          graphId={graph.id}
          title={graph.title}
          description={graph.description}
          visibility={graph.visibility}
          workspaceSlug={graph.workspace.slug}
          subgraphId={subgraph?.id ?? null}
          canEdit={mayPerform(graph.role, "graph.update")}
        />
        <ShareMenu graphId={graph.id} visibility={graph.visibility} />
      </header>
      {subgraphId && !subgraph && (
        <p className={styles.notice} role="status">
          The saved subgraph <code>{subgraphId}</code> does not exist for this graph (or was deleted); showing the
          graph’s own view.
        </p>
      )}
      <GraphViewer
        graphId={graph.id}
        title={graph.title}
        searchParams={query}
        subgraph={subgraph}
        canSave={mayPerform(graph.role, "subgraph.create")}
        isSignedIn={user !== null}
        memberSlug={graph.role ? graph.workspace.slug : null}
        facts={{
          title: graph.title,
          description: graph.description,
          modelId: graph.modelId,
          transcoderSet: graph.transcoderSet,
        }}
      />
    </>
  );
}
