/**
 * Graphs: import (upload, API, CLI, worker), list, read, update, delete, export.
 * Bodies are stored gzip-compressed in the BlobStore (see importGraph); rows hold what lists and
 * authorization need.
 * Every function asks server/authz first.
 */
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { gzip, gunzip } from "node:zlib";
import { z } from "zod";
import type { Actor } from "../authz/actor";
import { authorizeGraph } from "../authz/graph-access";
import { GRAPH_VISIBILITIES, type GraphVisibility } from "../authz/policy";
import { authorizeWorkspace } from "../authz/workspace-access";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { logger } from "../log";
import type { GraphFormatError, TAnnouncedIdentity, TQParams } from "@circuitboard/shared/graph-format";
import { runInGraphPool } from "../graph-work/graph-pool";
import { publish, topicOf } from "../live";
import type { BlobStore } from "../storage/blob-store";
import type { TFeatureColumns } from "../graph-work/graph-task";
import { importFileLabels } from "./labels/labels";
import { writeOccurrences } from "./labels/occurrences";
import { shownLabelsForReader } from "./labels/shown-labels";

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

export const ZGraphTitleSchema = z
  .string()
  .trim()
  .min(1, "title: enter a title")
  .max(200, "title: at most 200 characters");
export const ZGraphDescriptionSchema = z.string().max(5000, "description: at most 5000 characters");
export const ZGraphVisibilitySchema = z.enum(GRAPH_VISIBILITIES, {
  message: `visibility: one of ${GRAPH_VISIBILITIES.join(", ")}`,
});
export const GRAPH_SORTS = ["newest", "oldest", "title", "largest"] as const;
export type GraphSort = (typeof GRAPH_SORTS)[number];

/** A graph file that cannot be read: a 400 whose message starts with the JSON path of the problem. */
export class GraphFileError extends AppError {
  constructor(readonly formatError: Pick<GraphFormatError, "message" | "path">) {
    super("INVALID_GRAPH_FILE", `Not a readable graph file: ${formatError.message}`, {
      ...(formatError.path ? { path: formatError.path } : {}),
    });
  }
}

export function newGraphId(): string {
  return randomBytes(16)
    .toString("base64url")
    .replace(/[-_]/g, (c) => (c === "-" ? "a" : "b"))
    .slice(0, 22);
}

export interface ImportGraphOptions {
  actor: Actor;
  slug: string;
  body: Uint8Array;
  title?: string;
  description?: string;
  visibility?: GraphVisibility;
  source?: "upload" | "generated";
  maxBytes: number;
  /**
   * When the stored body is gzip-compressed: "background" (default) answers as soon as the raw body is
   * stored and compresses afterwards, so an upload costs about one parse; "inline" compresses before
   * returning (the CLI, whose process exits right after).
   */
  compression?: "background" | "inline";
  /**
   * Runs in the same transaction that writes the Graph row, with the new graph's id: when it throws, no
   * row is written and the stored body is removed. The worker's upload claims its job here, so a job
   * cancelled or handed to another worker meanwhile leaves neither an orphan nor a duplicate graph.
   */
  withinTransaction?: (tx: Db, graphId: string) => Promise<void>;
  /** What the worker that generated the graph says it ran (its model id), which outranks the file's fields. */
  announced?: TAnnouncedIdentity;
}

/**
 * Validates and stores a graph file. The body is stored first as is (`graphs/<id>.json`), then replaced
 * by its gzip (`graphs/<id>.json.gz`); readers go by the row's blobKey, so either form is served, and a
 * crash between the two steps leaves a valid, merely uncompressed graph.
 */
export async function importGraph(db: Db, store: BlobStore, o: ImportGraphOptions) {
  const { workspace } = await authorizeWorkspace(db, o.actor.id, { slug: o.slug }, "graph.create");
  if (o.body.byteLength > o.maxBytes) {
    throw new AppError("PAYLOAD_TOO_LARGE", `The graph file is ${o.body.byteLength} bytes; the limit is ${o.maxBytes}`);
  }
  // Parsed on a worker thread: a whole graph file never blocks the request thread.
  const parsed = await runInGraphPool({
    kind: "describe",
    body: o.body,
    ...(o.announced ? { announced: o.announced } : {}),
  });
  if (!parsed.ok) throw new GraphFileError(parsed);
  if (parsed.kind !== "describe") throw new Error("graph pool: expected a description");
  const { body } = o;
  const { description } = parsed;
  const { nodeCount, linkCount, warnings, features, ...info } = description;
  const id = newGraphId();
  const blobKey = `graphs/${id}.json`;
  await store.put(blobKey, body, "application/json");
  const title = o.title?.trim() || info.slug || info.prompt.slice(0, 80).trim() || "Untitled graph";
  let row;
  try {
    const data = {
      id,
      workspaceId: workspace.id,
      title,
      description: o.description ?? "",
      ...info,
      searchText: `${title}\n${info.prompt}`.toLowerCase(),
      nodeCount,
      linkCount,
      sizeBytes: body.byteLength,
      blobKey,
      visibility: o.visibility ?? "private",
      source: o.source ?? "upload",
      createdById: o.actor.id,
    };
    const select = { id: true, title: true, nodeCount: true, linkCount: true, visibility: true } as const;
    const within = o.withinTransaction;
    row = within
      ? await db.$transaction(async (tx) => {
          const created = await tx.graph.create({ data, select });
          await within(tx as Db, id);
          return created;
        })
      : await db.graph.create({ data, select });
  } catch (e) {
    await store.delete(blobKey); // no orphaned body when the row cannot be written
    throw e;
  }
  await indexGraphFeatures(db, {
    actorId: o.actor.id,
    workspaceId: workspace.id,
    graphId: id,
    modelId: info.modelId,
    transcoderSetId: info.transcoderSet,
    features,
  });
  await publish(
    db,
    topicOf("workspace", workspace.id),
    o.source === "generated" ? "graph.generated" : "graph.imported",
    {
      durable: true,
      workspaceId: workspace.id,
      actorId: o.actor.id,
      payload: { graphId: id },
    },
  );
  const compressing = compressGraphBody(db, store, id, body);
  if (o.compression === "inline") await compressing;
  else {
    const logged = compressing.catch((e: unknown) =>
      logger().error({ err: e, graphId: id }, "compressing the body failed; it stays uncompressed"),
    );
    pendingCompressions.add(logged);
    void logged.finally(() => pendingCompressions.delete(logged));
  }
  // What was read leniently (unknown feature types, layer -1, duplicates…): shown to the uploader.
  return { ...row, warnings };
}

/**
 * Right after the row: the occurrence index and the file's labels as proposals. A failure here leaves the graph
 * (occurrencesIndexedAt stays null, so the sweeper's backfill indexes it later).
 */
async function indexGraphFeatures(db: Db, o: Parameters<typeof importFileLabels>[1] & { features: TFeatureColumns }) {
  try {
    await writeOccurrences(db, o);
    await importFileLabels(db, o);
  } catch (e) {
    logger().error({ err: e, graphId: o.graphId }, "indexing the graph's features failed; the sweeper retries");
  }
}

const pendingCompressions = new Set<Promise<void>>();

/** Resolves when every background compression started so far has finished (shutdown, tests). */
export async function whenCompressed(): Promise<void> {
  while (pendingCompressions.size > 0) await Promise.all([...pendingCompressions]);
}

/** Replaces a graph's raw body with its gzip (level 1: about 3x smaller, fast), then points the row at it. */
export async function compressGraphBody(db: Db, store: BlobStore, graphId: string, raw: Uint8Array): Promise<void> {
  const rawKey = `graphs/${graphId}.json`;
  const gzKey = `${rawKey}.gz`;
  await store.put(gzKey, await gzipAsync(raw, { level: 1 }), "application/gzip");
  const updated = await db.graph.updateMany({ where: { id: graphId, blobKey: rawKey }, data: { blobKey: gzKey } });
  if (updated.count === 1) return store.delete(rawKey); // the raw copy is no longer referenced
  // Not pointed at the raw body any more: deleted meanwhile (remove what was just written), or compressed
  // by someone else (the sweeper of another instance): then the gzip is theirs too, and stays.
  const row = await db.graph.findUnique({ where: { id: graphId }, select: { blobKey: true } });
  if (!row) await store.delete(gzKey);
}

/** Lists carry a prompt excerpt, not the whole prompt: a page of rows stays small whatever was imported. */
export const LIST_PROMPT_CHARS = 300;
function promptExcerpt(prompt: string): string {
  return prompt.length > LIST_PROMPT_CHARS ? `${prompt.slice(0, LIST_PROMPT_CHARS - 1)}…` : prompt;
}

const LIST_SELECT = {
  id: true,
  title: true,
  prompt: true,
  modelId: true,
  nodeCount: true,
  linkCount: true,
  sizeBytes: true,
  visibility: true,
  source: true,
  createdAt: true,
  createdBy: { select: { name: true } },
} as const;

export async function listGraphs(
  db: Db,
  { actor, slug, query, sort = "newest" }: { actor: Actor; slug: string; query?: string; sort?: GraphSort },
) {
  const { workspace } = await authorizeWorkspace(db, actor.id, { slug }, "graph.list");
  const orderBy = {
    newest: { createdAt: "desc" as const },
    oldest: { createdAt: "asc" as const },
    title: { title: "asc" as const },
    largest: { linkCount: "desc" as const },
  }[sort];
  const q = query?.trim().toLowerCase();
  const rows = await db.graph.findMany({
    where: { workspaceId: workspace.id, ...(q ? { searchText: { contains: q } } : {}) },
    select: LIST_SELECT,
    orderBy,
    take: 500,
  });
  return rows.map(({ createdBy, ...r }) => ({
    ...r,
    prompt: promptExcerpt(r.prompt),
    createdBy: createdBy.name,
    visibility: r.visibility as GraphVisibility,
  }));
}

/** Public graphs from every workspace, newest first: the explore page. Readable signed out. */
export async function listPublicGraphs(db: Db, { query, take = 100 }: { query?: string; take?: number }) {
  const q = query?.trim().toLowerCase();
  const rows = await db.graph.findMany({
    where: { visibility: "public", ...(q ? { searchText: { contains: q } } : {}) },
    select: { ...LIST_SELECT, workspace: { select: { name: true } } },
    orderBy: { createdAt: "desc" },
    take,
  });
  return rows.map(({ createdBy, workspace, ...r }) => ({
    ...r,
    prompt: promptExcerpt(r.prompt),
    createdBy: createdBy.name,
    workspaceName: workspace.name,
    visibility: "public" as const,
  }));
}

/** Metadata for the viewer and the graph page. `actor` null: a signed-out visitor. */
export async function getGraph(db: Db, { actor, graphId }: { actor: Actor | null; graphId: string }) {
  const { graph, workspace, role } = await authorizeGraph(db, actor?.id ?? null, graphId, "graph.read");
  const { blobKey: _blobKey, searchText: _searchText, promptTokens, ...rest } = graph;
  return { ...rest, promptTokens: JSON.parse(promptTokens) as string[], workspace, role };
}

/** The stored body after the read check: gzip-compressed (isGzipped) or, just after an import, raw JSON. */
export async function readGraphBody(
  db: Db,
  store: BlobStore,
  { actor, graphId }: { actor: Actor | null; graphId: string },
) {
  const { graph } = await authorizeGraph(db, actor?.id ?? null, graphId, "graph.read");
  return unsafeReadGraphBody(db, store, graph);
}

/**
 * A graph's stored body WITHOUT a read check: for callers that authorised it another way (a case-study
 * version's capability, server/authz/case-study-access.ts). Everyone else calls readGraphBody.
 */
export async function unsafeReadGraphBody(
  db: Db,
  store: BlobStore,
  graph: { id: string; blobKey: string; title: string },
) {
  let blobKey = graph.blobKey;
  let body = await store.get(blobKey);
  if (!body && !blobKey.endsWith(".gz")) {
    // The background compression may have swapped the raw body for its gzip between the row read and the get:
    // the row then already names the gzip (compressGraphBody points the row at it before deleting the raw copy).
    blobKey = (await db.graph.findUnique({ where: { id: graph.id }, select: { blobKey: true } }))?.blobKey ?? blobKey;
    body = await store.get(blobKey);
  }
  if (!body) throw new Error(`graph ${graph.id}: body ${blobKey} is missing from the blob store`);
  return { bytes: body, isGzipped: blobKey.endsWith(".gz"), title: graph.title };
}

/** The graph JSON's bytes, inflated when stored compressed. */
export async function readGraphJson(db: Db, store: BlobStore, o: { actor: Actor | null; graphId: string }) {
  const { bytes, isGzipped, title } = await readGraphBody(db, store, o);
  return { json: isGzipped ? await gunzipAsync(bytes) : bytes, title };
}

export async function updateGraph(
  db: Db,
  {
    actor,
    graphId,
    ...patch
  }: { actor: Actor; graphId: string; title?: string; description?: string; visibility?: GraphVisibility },
) {
  const { graph } = await authorizeGraph(db, actor.id, graphId, "graph.update");
  const title = patch.title ?? graph.title;
  return db.graph.update({
    where: { id: graph.id },
    data: { ...patch, searchText: `${title}\n${graph.prompt}`.toLowerCase() },
    select: { id: true, title: true, description: true, visibility: true },
  });
}

export async function deleteGraph(db: Db, store: BlobStore, { actor, graphId }: { actor: Actor; graphId: string }) {
  const { graph } = await authorizeGraph(db, actor.id, graphId, "graph.delete");
  await db.graph.delete({ where: { id: graph.id } });
  await store.delete(graph.blobKey);
  return { id: graph.id };
}

/**
 * The graph as a circuit-tracer / Neuronpedia file, re-exported from the stored body, with a saved
 * subgraph written into qParams when one is given. Yields text chunks (large graphs never form one string).
 */
export async function exportGraphFile(
  db: Db,
  store: BlobStore,
  {
    actor,
    graphId,
    subgraph,
    clerps,
    positions,
  }: {
    actor: Actor | null;
    graphId: string;
    subgraph?: TQParams;
    /** Label overrides, [key, label] in any form label-keys.ts reads (by feature, node_id, Neuronpedia's). */
    clerps?: readonly (readonly [string, string])[];
    /** Subgraph diagram positions, [box key, x, y]: written as circuit-tracer's qParams.sg_pos. */
    positions?: readonly (readonly [string, number, number])[];
  },
): Promise<{ title: string; bytes: Uint8Array }> {
  const { bytes: stored, isGzipped, title } = await readGraphBody(db, store, { actor, graphId });
  // The ids stored at import (where the worker's announcement was known) name the graph in metadata.scan.
  const row = await db.graph.findUnique({ where: { id: graphId }, select: { modelId: true, transcoderSet: true } });
  // What the graph shows, first found: the view's overrides, the label system's (workspace, then public), the
  // file's own. resolveLabelOverrides lets later entries win, so the overrides go last.
  const shown = Object.entries(await shownLabelsForReader(db, { graphId, userId: actor?.id ?? null }));
  const allClerps = [...shown, ...(clerps ?? [])].map(([k, v]) => [k, v] as [string, string]);
  // Inflated, parsed and written out on a worker thread (seconds for a large graph), never on this one.
  const result = await runInGraphPool({
    kind: "export",
    stored,
    isGzipped,
    ...(subgraph ? { subgraph } : {}),
    ...(allClerps.length > 0 ? { clerps: allClerps } : {}),
    ...(positions ? { positions: positions.map(([k, x, y]) => [k, x, y] as [string, number, number]) } : {}),
    ...(row ? { announced: { modelId: row.modelId, transcoderSetId: row.transcoderSet } } : {}),
  });
  if (!result.ok || result.kind !== "export") {
    throw new Error(`graph ${graphId}: the stored body cannot be exported (${result.ok ? "?" : result.message})`);
  }
  return { title, bytes: result.bytes };
}

/** Removes the bodies of every graph in a workspace (before the rows go with the workspace). */
export async function unsafeDeleteWorkspaceGraphBodies(db: Db, store: BlobStore, workspaceId: string): Promise<void> {
  const rows = await db.graph.findMany({ where: { workspaceId }, select: { blobKey: true } });
  for (const r of rows) await store.delete(r.blobKey);
}
