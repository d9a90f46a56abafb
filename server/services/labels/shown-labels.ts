/**
 * What a graph shows for a feature node, from the label system: the workspace's best label, else the best
 * public label. Callers layer the rest of the order on top (label-keys.ts / the viewer): a saved subgraph's
 * override (clerps) first, and below these, the file's own label, then "Feature L{l} #{i}".
 */
import { featureKey } from "@circuitboard/shared/graph-format";
import type { Db } from "../../db/client";
import { bestLabel, toLabelView } from "./labels";

/**
 * The label system's label for each feature of a graph, by featureKey(layer, index): the workspace's best,
 * else the best public one. Without the file's clerps and without saved-subgraph overrides. The caller has
 * authorised the reader for `workspaceId`'s labels ("" or a workspace the reader is not in: pass
 * shownLabelsForReader instead).
 */
export async function shownLabelsForGraph(
  db: Db,
  args: { graphId: string; workspaceId: string },
): Promise<Record<string, string>> {
  return shownLabels(db, { graphId: args.graphId, workspaceId: args.workspaceId || null });
}

/** As shownLabelsForGraph for a reader who may not be a member: their workspace's labels only if they are one. */
export async function shownLabelsForReader(
  db: Db,
  { graphId, userId }: { graphId: string; userId: string | null },
): Promise<Record<string, string>> {
  const graph = await db.graph.findUnique({ where: { id: graphId }, select: { workspaceId: true } });
  if (!graph) return {};
  const member = userId
    ? await db.membership.findUnique({
        where: { workspaceId_userId: { workspaceId: graph.workspaceId, userId } },
        select: { id: true },
      })
    : null;
  return shownLabels(db, { graphId, workspaceId: member ? graph.workspaceId : null });
}

async function shownLabels(
  db: Db,
  { graphId, workspaceId }: { graphId: string; workspaceId: string | null },
): Promise<Record<string, string>> {
  const graph = await db.graph.findUnique({ where: { id: graphId }, select: { modelId: true, transcoderSet: true } });
  if (!graph || graph.transcoderSet === "") return {};
  const occurrences = await db.featureOccurrence.findMany({
    where: { graphId },
    select: { layer: true, index: true },
    distinct: ["layer", "index"],
  });
  if (occurrences.length === 0) return {};
  const inGraph = new Set(occurrences.map((o) => featureKey(o.layer, o.index)));
  const rows = await db.label.findMany({
    where: {
      modelId: graph.modelId,
      transcoderSetId: graph.transcoderSet,
      hiddenAt: null,
      OR: [{ workspaceId: null }, ...(workspaceId ? [{ workspaceId }] : [])],
      layer: { in: [...new Set(occurrences.map((o) => o.layer))] },
      index: { in: [...new Set(occurrences.map((o) => o.index))] },
    },
    select: {
      id: true,
      text: true,
      workspaceId: true,
      source: true,
      sourceGraphId: true,
      createdAt: true,
      hiddenAt: true,
      layer: true,
      index: true,
      author: { select: { id: true, name: true } },
      votes: { select: { value: true, userId: true } },
    },
  });
  const byFeature = new Map<string, { own: ReturnType<typeof toLabelView>[]; pub: ReturnType<typeof toLabelView>[] }>();
  for (const { layer, index, ...row } of rows) {
    const key = featureKey(layer, index);
    if (!inGraph.has(key)) continue;
    const entry = byFeature.get(key) ?? { own: [], pub: [] };
    (row.workspaceId === null ? entry.pub : entry.own).push(toLabelView(row, null));
    byFeature.set(key, entry);
  }
  const shown: Record<string, string> = {};
  for (const [key, { own, pub }] of byFeature) {
    const best = bestLabel(own) ?? bestLabel(pub);
    if (best) shown[key] = best.text;
  }
  return shown;
}
