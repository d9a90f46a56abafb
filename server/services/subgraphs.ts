/**
 * Saved subgraphs: a named view of a graph (pinned nodes, supernodes, label overrides, clicked node,
 * pruning threshold), stored in Neuronpedia's qParams shape. Readable by whoever can read the graph.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { authorizeGraph } from "../authz/graph-access";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { ZQParamsSchema } from "@circuitboard/shared/graph-format";
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
      state: JSON.stringify(state),
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

export async function getSubgraph(db: Db, { actor, subgraphId }: { actor: Actor | null; subgraphId: string }) {
  const row = await db.subgraph.findUnique({ where: { id: subgraphId } });
  if (!row) throw new AppError("NOT_FOUND", "Subgraph not found");
  // Readable exactly when its graph is; a hidden graph's subgraph is as absent as the graph.
  await authorizeGraph(db, actor?.id ?? null, row.graphId, "graph.read");
  return { id: row.id, graphId: row.graphId, name: row.name, state: ZSubgraphStateSchema.parse(JSON.parse(row.state)) };
}

export async function deleteSubgraph(db: Db, { actor, subgraphId }: { actor: Actor; subgraphId: string }) {
  const row = await db.subgraph.findUnique({ where: { id: subgraphId } });
  if (!row) throw new AppError("NOT_FOUND", "Subgraph not found");
  await authorizeGraph(db, actor.id, row.graphId, "subgraph.delete");
  await db.subgraph.delete({ where: { id: row.id } });
  return { id: row.id };
}

/** A subgraph state as the qParams of an exported file (Neuronpedia's keys). */
export function subgraphToQParams(state: TSubgraphState) {
  return ZQParamsSchema.parse({
    pinnedIds: state.pinnedIds,
    supernodes: state.supernodes,
    clickedId: state.clickedId,
    linkType: state.linkType,
    clerps: state.clerps,
    ...(state.pruningThreshold !== undefined ? { pruningThreshold: state.pruningThreshold } : {}),
  });
}
