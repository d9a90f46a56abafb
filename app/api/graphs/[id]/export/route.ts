/**
 * GET /api/graphs/:id/export — download the graph as a circuit-tracer / Neuronpedia file.
 *   ?s=<subgraphId>          with that saved subgraph (pins, supernodes, labels, diagram positions)
 *   ?pinnedIds=…&clerps=…    the current view, in the viewer's URL keys (what is on screen)
 *   ?original=1              the file exactly as it was uploaded or generated
 * The export is built off the request thread (server/graph-work) and streamed.
 */
import type { NextRequest } from "next/server";
import { AppError } from "~/server/errors";
import { requestContext } from "~/server/http/request-context";
import { handleErrors } from "~/server/http/responses";
import { exportGraphFile, readGraphJson } from "~/server/services/graphs";
import { getSubgraph, subgraphToQParams, viewStateFromQuery } from "~/server/services/subgraphs";

function fileName(title: string, suffix: string): string {
  return `${title.replace(/[^A-Za-z0-9._-]+/g, "-").slice(0, 80) || "graph"}${suffix}.json`;
}

function streamed(bytes: Uint8Array, name: string): Response {
  let offset = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.byteLength) return controller.close();
      controller.enqueue(bytes.subarray(offset, offset + 256 * 1024));
      offset += 256 * 1024;
    },
  });
  return new Response(stream, {
    headers: { "content-type": "application/json", "content-disposition": `attachment; filename="${name}"` },
  });
}

export const GET = handleErrors(async (req: NextRequest, ctx: { params: Promise<{ id: string }> }) => {
  const { db, store, user: actor } = await requestContext(req);
  const graphId = (await ctx.params).id;
  const query = req.nextUrl.searchParams;
  if (query.get("original") === "1") {
    const { json, title } = await readGraphJson(db, store, { actor, graphId });
    return streamed(json, fileName(title, ""));
  }
  const subgraphId = query.get("s");
  let state;
  if (subgraphId) {
    const saved = await getSubgraph(db, { actor, subgraphId, store });
    if (saved.graphId !== graphId) throw new AppError("BAD_REQUEST", "s: this subgraph belongs to another graph");
    state = saved.state;
  } else {
    state = viewStateFromQuery(query);
  }
  // Parsed and written on a worker thread (server/graph-work); 503 + Retry-After when that pool is full.
  const { title, bytes } = await exportGraphFile(db, store, {
    actor,
    graphId,
    ...(state ? { subgraph: subgraphToQParams(state), clerps: state.clerps, positions: state.positions } : {}),
  });
  return streamed(bytes, fileName(title, state ? "-view" : ""));
});
