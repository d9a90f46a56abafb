/**
 * Where a comment thread hangs. Stored as (graphId, anchorKind, anchorKey) on CommentThread:
 *   graph      the graph as a whole                    key ""
 *   node       a node, by its normalised id             key "27_22605_10" (survives export; a re-import is a new graph)
 *   subgraph   a saved subgraph of the graph            key "<subgraphId>"
 *   supernode  a supernode of a saved subgraph          key "<subgraphId>/<label>"
 * Open for one more kind: a feature across graphs (the labels work) adds
 *   { kind: "feature", featureId } with graphId null and key "<model>/<set>/<layer>/<index>", authorised by
 *   the label's scope (authorizeGraphDiscussion's { workspaceId } form, or a public scope).
 */
import { z } from "zod";
import type { Db } from "../../db/client";
import { AppError } from "../../errors";

export const ANCHOR_KINDS = ["graph", "node", "subgraph", "supernode"] as const;
export type AnchorKind = (typeof ANCHOR_KINDS)[number];

export const ZNodeIdSchema = z
  .string()
  .min(1, "anchor.nodeId: required")
  .max(100, "anchor.nodeId: at most 100 characters")
  .regex(/^[A-Za-z0-9_.:-]+$/, "anchor.nodeId: a node id such as 27_22605_10");
const ZSubgraphId = z.string().min(1).max(64, "anchor.subgraphId: at most 64 characters");

export const ZAnchorSchema = z.discriminatedUnion(
  "kind",
  [
    z.object({ kind: z.literal("graph") }).strict(),
    z.object({ kind: z.literal("node"), nodeId: ZNodeIdSchema }).strict(),
    z.object({ kind: z.literal("subgraph"), subgraphId: ZSubgraphId }).strict(),
    z
      .object({
        kind: z.literal("supernode"),
        subgraphId: ZSubgraphId,
        label: z.string().min(1).max(200, "anchor.label: at most 200 characters"),
      })
      .strict(),
  ],
  { message: `anchor.kind: one of ${ANCHOR_KINDS.join(", ")}` },
);
export type TAnchor = z.infer<typeof ZAnchorSchema>;

export function anchorKey(anchor: TAnchor): string {
  switch (anchor.kind) {
    case "graph":
      return "";
    case "node":
      return anchor.nodeId;
    case "subgraph":
      return anchor.subgraphId;
    case "supernode":
      return `${anchor.subgraphId}/${anchor.label}`;
  }
}

export function anchorFromRow(kind: string, key: string): TAnchor {
  switch (kind as AnchorKind) {
    case "graph":
      return { kind: "graph" };
    case "node":
      return { kind: "node", nodeId: key };
    case "subgraph":
      return { kind: "subgraph", subgraphId: key };
    case "supernode": {
      const at = key.indexOf("/");
      return { kind: "supernode", subgraphId: key.slice(0, at), label: key.slice(at + 1) };
    }
  }
  throw new Error(`comment thread with unknown anchor kind "${kind}"`);
}

/** Checks that a subgraph anchor names a subgraph of this graph (and, for a supernode, one of its supernodes). */
export async function checkAnchor(db: Db, graphId: string, anchor: TAnchor): Promise<void> {
  if (anchor.kind !== "subgraph" && anchor.kind !== "supernode") return;
  const subgraph = await db.subgraph.findUnique({
    where: { id: anchor.subgraphId },
    select: { graphId: true, state: true },
  });
  if (!subgraph || subgraph.graphId !== graphId) {
    throw new AppError("BAD_REQUEST", "anchor.subgraphId: no saved subgraph of this graph has this id");
  }
  if (anchor.kind === "supernode") {
    const state = JSON.parse(subgraph.state) as { supernodes?: string[][] };
    if (!(state.supernodes ?? []).some((s) => s[0] === anchor.label)) {
      throw new AppError("BAD_REQUEST", `anchor.label: the subgraph has no supernode "${anchor.label.slice(0, 60)}"`);
    }
  }
}

/** The viewer URL that shows an anchor with its thread open. */
export function anchorHref(graphId: string, anchor: TAnchor, threadId: string): string {
  const params = new URLSearchParams();
  if (anchor.kind === "node") params.set("clickedId", anchor.nodeId);
  if (anchor.kind === "subgraph" || anchor.kind === "supernode") params.set("s", anchor.subgraphId);
  params.set("thread", threadId);
  return `/g/${encodeURIComponent(graphId)}?${params}`;
}
