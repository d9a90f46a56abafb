/**
 * Saved subgraphs: a named view of a graph (pinned nodes, supernodes, label overrides, clicked node,
 * pruning threshold, diagram positions), stored in Neuronpedia's qParams shape. Readable by whoever can
 * read the graph.
 *
 * State versions: 2 keys label overrides (`clerps`) by FEATURE (label-keys.ts in the shared module:
 * "{layer}_{index}", or a node_id for non-feature nodes). Version 1 (no `version` field, before issue #11)
 * keyed them by node_id; such a state is migrated the first time it is read (getSubgraph), against its
 * graph's nodes, and written back.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { authorizeGraph } from "../authz/graph-access";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import {
  parseGraph,
  readClerpEntries,
  resolveLabelOverrides,
  ZQParamsSchema,
  type TGraph,
} from "@circuitboard/shared/graph-format";
import type { BlobStore } from "../storage/blob-store";
import { readGraphJson } from "./graphs";
import type { Actor } from "../authz/actor";

const MAX_IDS = 5000;
/**
 * The whole saved state, as stored: a generous view (thousands of pins, hundreds of supernodes and labels)
 * is tens of KB. Each field's own limits multiply to far more, so the total is bounded too: every reader
 * of a public graph's subgraph parses it.
 */
export const MAX_SUBGRAPH_STATE_BYTES = 256 * 1024;
const ZNodeRef = z.string().min(1).max(200);

/** The view state a subgraph saves; every field optional, sizes bounded. Unknown keys are refused. */
export const ZSubgraphStateSchema = z
  .object({
    pinnedIds: z.array(ZNodeRef).max(MAX_IDS, `pinnedIds: at most ${MAX_IDS}`).default([]),
    supernodes: z
      .array(
        z
          .array(z.string().max(200))
          .min(2, "supernodes: each is [label, nodeId, …] with at least one node")
          .max(MAX_IDS),
      )
      .max(1000)
      .default([]),
    clerps: z
      .array(z.tuple([ZNodeRef, z.string().max(500)]))
      .max(MAX_IDS)
      .default([]),
    clickedId: z.string().max(200).default(""),
    pruningThreshold: z.number().min(0).max(1).optional(),
    linkType: z.enum(["input", "output", "both"]).default("both"),
    /** Subgraph diagram positions, [groupKey, x, y] with x, y in 0..1000 of the diagram (circuit-tracer's sg_pos scale). */
    positions: z
      .array(z.tuple([ZNodeRef, z.number().min(0).max(1000), z.number().min(0).max(1000)]))
      .max(1000)
      .default([]),
    /** 2: clerps keyed by feature. Absent: version 1 (node_id keys), migrated on read. */
    version: z.literal(2).optional(),
  })
  .strict()
  .superRefine((state, ctx) => {
    const size = Buffer.byteLength(JSON.stringify(state));
    if (size > MAX_SUBGRAPH_STATE_BYTES) {
      ctx.addIssue({
        code: "custom",
        message: `state: at most ${MAX_SUBGRAPH_STATE_BYTES / 1024} KB as JSON (this one is ${Math.ceil(size / 1024)} KB)`,
      });
    }
  });
export type TSubgraphState = z.infer<typeof ZSubgraphStateSchema>;

export const ZSubgraphNameSchema = z
  .string()
  .trim()
  .min(1, "name: name the subgraph")
  .max(120, "name: at most 120 characters");

export async function createSubgraph(
  db: Db,
  { actor, graphId, name, state }: { actor: Actor; graphId: string; name: string; state: TSubgraphState },
) {
  const { graph } = await authorizeGraph(db, actor.id, graphId, "subgraph.create");
  const row = await db.subgraph.create({
    data: {
      id: randomBytes(12).toString("base64url"),
      graphId: graph.id,
      name,
      state: JSON.stringify({ ...state, version: 2 }),
      createdById: actor.id,
    },
  });
  return { id: row.id, name: row.name, createdAt: row.createdAt };
}

export async function listSubgraphs(db: Db, { actor, graphId }: { actor: Actor | null; graphId: string }) {
  const { graph } = await authorizeGraph(db, actor?.id ?? null, graphId, "graph.read");
  const rows = await db.subgraph.findMany({
    where: { graphId: graph.id },
    include: { createdBy: { select: { name: true } } },
    orderBy: { createdAt: "desc" },
  });
  return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.createdAt, createdBy: r.createdBy.name }));
}

/** A version-1 state's node-keyed clerps, re-keyed by feature against the graph's nodes. */
export function migrateSubgraphState(
  graph: Pick<TGraph, "nodes" | "nodeIndexById">,
  state: TSubgraphState,
): TSubgraphState {
  if (state.version === 2) return state;
  const { overrides, unresolved } = resolveLabelOverrides(graph, state.clerps);
  // A key that names no node is kept as it was: losing a label is worse than carrying a dead one.
  const kept = state.clerps.filter(([key]) => unresolved.includes(key));
  return { ...state, clerps: [...overrides.entries(), ...kept], version: 2 };
}

export async function getSubgraph(
  db: Db,
  { actor, subgraphId, store }: { actor: Actor | null; subgraphId: string; store: BlobStore },
) {
  const row = await db.subgraph.findUnique({ where: { id: subgraphId } });
  if (!row) throw new AppError("NOT_FOUND", "Subgraph not found");
  // Readable exactly when its graph is; a hidden graph's subgraph is as absent as the graph.
  await authorizeGraph(db, actor?.id ?? null, row.graphId, "graph.read");
  let state = ZSubgraphStateSchema.parse(JSON.parse(row.state));
  if (state.version !== 2) {
    if (state.clerps.length > 0) {
      // Reading the graph is the price of the migration, paid once per old subgraph that has labels.
      const { json } = await readGraphJson(db, store, { actor, graphId: row.graphId });
      state = migrateSubgraphState(parseGraph(json), state);
    } else {
      state = { ...state, version: 2 };
    }
    await db.subgraph.update({ where: { id: row.id }, data: { state: JSON.stringify(state) } });
  }
  return { id: row.id, graphId: row.graphId, name: row.name, state };
}

export async function deleteSubgraph(db: Db, { actor, subgraphId }: { actor: Actor; subgraphId: string }) {
  const row = await db.subgraph.findUnique({ where: { id: subgraphId } });
  if (!row) throw new AppError("NOT_FOUND", "Subgraph not found");
  await authorizeGraph(db, actor.id, row.graphId, "subgraph.delete");
  await db.subgraph.delete({ where: { id: row.id } });
  return { id: row.id };
}

/**
 * A subgraph state as the qParams of an exported file (Neuronpedia's keys). Label overrides are not in it:
 * pass `state.clerps` to exportGraphFile, which writes them as both circuit-tracer and Neuronpedia read them.
 */
export function subgraphToQParams(state: TSubgraphState) {
  return ZQParamsSchema.parse({
    // Positions: exportGraphFile writes them as sg_pos, in the order circuit-tracer needs (graph required).
    pinnedIds: state.pinnedIds,
    supernodes: state.supernodes,
    clickedId: state.clickedId,
    linkType: state.linkType,
    ...(state.pruningThreshold !== undefined ? { pruningThreshold: state.pruningThreshold } : {}),
  });
}

const VIEW_QUERY_KEYS = ["pinnedIds", "supernodes", "clerps", "clickedId", "pruningThreshold", "positions"] as const;

function jsonParam(query: URLSearchParams, key: string): unknown {
  const text = query.get(key);
  if (text === null || text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("BAD_REQUEST", `${key}: expected JSON, got ${JSON.stringify(text.slice(0, 40))}`);
  }
}

/**
 * The view state spelled by the viewer's URL keys (pinnedIds=a,b&supernodes=[…]&clerps=[…]…), validated
 * like a saved subgraph; null when the query has none of them. Bad values are a 400 naming the key.
 */
export function viewStateFromQuery(query: URLSearchParams): TSubgraphState | null {
  if (!VIEW_QUERY_KEYS.some((key) => query.has(key))) return null;
  const threshold = query.get("pruningThreshold");
  const parsed = ZSubgraphStateSchema.safeParse({
    pinnedIds: (query.get("pinnedIds") ?? "").split(",").filter(Boolean),
    supernodes: jsonParam(query, "supernodes") ?? [],
    clerps: readClerpEntries(query.get("clerps") ?? "[]"),
    clickedId: query.get("clickedId") ?? "",
    positions: jsonParam(query, "positions") ?? [],
    ...(threshold ? { pruningThreshold: Number(threshold) } : {}),
    version: 2,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError("BAD_REQUEST", `${issue.path.join(".") || "view"}: ${issue.message}`);
  }
  return parsed.data;
}
