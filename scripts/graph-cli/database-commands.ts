/**
 * The graph CLI's commands that need the database (run on the server, with its configuration):
 *   import FILE --workspace SLUG [--title T] [--visibility private|unlisted|public] [--user EMAIL]
 *   export ID --out FILE [--subgraph SUBGRAPH_ID]
 * They act as a user and go through the same services and authorization as the web app: --user, or by
 * default the workspace's first owner (for export: the owner of the graph's workspace).
 */
import { readFile, writeFile } from "node:fs/promises";
import { createDb, type Db } from "../../server/db/client";
import { applyMigrations } from "../../server/db/migrate";
import { env } from "../../server/env";
import { exportGraphFile, importGraph, ZGraphVisibilitySchema } from "../../server/services/graphs";
import { getSubgraph, subgraphToQParams } from "../../server/services/subgraphs";
import { getBlobStore } from "../../server/storage";

async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  await applyMigrations(env().DATABASE_URL);
  const db = createDb(env().DATABASE_URL);
  try {
    return await fn(db);
  } finally {
    await db.$disconnect();
  }
}

async function actingUser(db: Db, email: string | undefined, workspace: { id: string } | { slug: string }) {
  if (email) {
    const user = await db.user.findUnique({ where: { email: email.toLowerCase() } });
    if (!user) throw new Error(`no user with email ${email}`);
    return user;
  }
  const owner = await db.membership.findFirst({
    where: { role: "owner", workspace: "id" in workspace ? { id: workspace.id } : { slug: workspace.slug } },
    orderBy: { createdAt: "asc" },
    include: { user: true },
  });
  if (!owner)
    throw new Error(`no workspace ${"slug" in workspace ? `"${workspace.slug}"` : workspace.id} (or it has no owner)`);
  return owner.user;
}

export async function importCommand(o: {
  file: string;
  workspace: string;
  title?: string;
  visibility?: string;
  user?: string;
}) {
  const visibility = o.visibility === undefined ? undefined : ZGraphVisibilitySchema.parse(o.visibility);
  const body = await readFile(o.file);
  return withDb(async (db) => {
    const actor = await actingUser(db, o.user, { slug: o.workspace });
    const graph = await importGraph(db, getBlobStore(), {
      actor,
      slug: o.workspace,
      body,
      maxBytes: env().MAX_UPLOAD_BYTES,
      compression: "inline", // the process exits right after
      ...(o.title ? { title: o.title } : {}),
      ...(visibility ? { visibility } : {}),
    });
    return { ok: true, ...graph };
  });
}

export async function exportCommand(o: { id: string; out: string; subgraph?: string; user?: string }) {
  return withDb(async (db) => {
    const row = await db.graph.findUnique({ where: { id: o.id }, select: { workspaceId: true } });
    if (!row) throw new Error(`no graph with id ${o.id}`);
    const actor = await actingUser(db, o.user, { id: row.workspaceId });
    const state = o.subgraph
      ? (await getSubgraph(db, { actor, subgraphId: o.subgraph, store: getBlobStore() })).state
      : undefined;
    const { bytes } = await exportGraphFile(db, getBlobStore(), {
      actor,
      graphId: o.id,
      ...(state ? { subgraph: subgraphToQParams(state), clerps: state.clerps, positions: state.positions } : {}),
    });
    await writeFile(o.out, bytes);
    return { ok: true, id: o.id, out: o.out, sizeBytes: bytes.byteLength };
  });
}
