/**
 * GET /api/graphs/:id/export[?s=<subgraphId>] — download the graph as a circuit-tracer / Neuronpedia file,
 * with the saved subgraph (when given) in qParams. The export is built off the request thread and streamed.
 */
import type { NextRequest } from "next/server";
import { AppError } from "~/server/errors";
import { requestContext } from "~/server/http/request-context";
import { handleErrors } from "~/server/http/responses";
import { exportGraphFile } from "~/server/services/graphs";
import { getSubgraph, subgraphToQParams } from "~/server/services/subgraphs";

export const GET = handleErrors(async (req: NextRequest, ctx: { params: Promise<{ id: string }> }) => {
  const { db, store, user: actor } = await requestContext(req);
  const graphId = (await ctx.params).id;
  const subgraphId = req.nextUrl.searchParams.get("s");
  let subgraph;
  if (subgraphId) {
    const saved = await getSubgraph(db, { actor, subgraphId });
    if (saved.graphId !== graphId) throw new AppError("BAD_REQUEST", "s: this subgraph belongs to another graph");
    subgraph = subgraphToQParams(saved.state);
  }
  // Parsed and written on a worker thread (server/graph-work); 503 + Retry-After when that pool is full.
  const { title, bytes } = await exportGraphFile(db, store, { actor, graphId, subgraph });
  let offset = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.byteLength) return controller.close();
      controller.enqueue(bytes.subarray(offset, offset + 256 * 1024));
      offset += 256 * 1024;
    },
  });
  const filename = `${title.replace(/[^A-Za-z0-9._-]+/g, "-").slice(0, 80) || "graph"}.json`;
  return new Response(stream, {
    headers: { "content-type": "application/json", "content-disposition": `attachment; filename="${filename}"` },
  });
});
