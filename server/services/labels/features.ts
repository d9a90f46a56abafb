/**
 * Features across graphs: which graphs in the reader's reach contain a feature, search by label text or by
 * (layer, index), and a workspace's label queue. Reach: server/authz/label-access.ts.
 */
import type { Actor } from "../../authz/actor";
import { authorizeLabelScope, graphsInReach, labelsInReach, readableWorkspaceIds } from "../../authz/label-access";
import { authorizeWorkspace } from "../../authz/workspace-access";
import type { Db } from "../../db/client";
import { featureWhere, type TFeature } from "./feature-ref";
import { bestLabel, toLabelView, type TLabelView } from "./labels";
import { wilsonLowerBound } from "./wilson";

const GRAPHS_PER_FEATURE = 200;

/** The graphs the reader may list that contain the feature, with the node's activation and influence there. */
export async function featureGraphs(db: Db, { actor, feature }: { actor: Actor; feature: TFeature }) {
  await authorizeLabelScope(db, actor.id, null, "label.read");
  const reach = graphsInReach(await readableWorkspaceIds(db, actor.id));
  const rows = await db.featureOccurrence.findMany({
    where: { ...featureWhere(feature), graph: reach },
    select: {
      ctxIdx: true,
      activation: true,
      influence: true,
      graph: { select: { id: true, title: true, createdAt: true, workspace: { select: { slug: true, name: true } } } },
    },
    orderBy: [{ influence: "asc" }], // cumulative influence: the most important occurrence first
    take: GRAPHS_PER_FEATURE * 4,
  });
  const byGraph = new Map<
    string,
    { graph: (typeof rows)[number]["graph"]; nodes: Omit<(typeof rows)[number], "graph">[] }
  >();
  for (const { graph, ...node } of rows) {
    const entry = byGraph.get(graph.id) ?? { graph, nodes: [] };
    entry.nodes.push(node);
    byGraph.set(graph.id, entry);
  }
  return [...byGraph.values()].slice(0, GRAPHS_PER_FEATURE).map(({ graph, nodes }) => ({
    graphId: graph.id,
    title: graph.title,
    workspace: graph.workspace,
    // The node id the viewer selects: "{layer}_{index}_{ctx}" (node-id.ts) of the most influential occurrence.
    nodeId: `${feature.layer}_${feature.index}_${nodes[0]!.ctxIdx}`,
    occurrences: nodes,
  }));
}

const SEARCH_LIMIT = 50;

/**
 * Features by label text (case-insensitive substring, over the labels the reader may read) or, for a query
 * "L{layer} #{index}" / "{layer}_{index}" / "{layer} {index}", by position among the graphs in reach.
 */
export async function searchFeatures(db: Db, { actor, query }: { actor: Actor; query: string }) {
  await authorizeLabelScope(db, actor.id, null, "label.read");
  const workspaceIds = await readableWorkspaceIds(db, actor.id);
  const position = /^\s*l?\s*(\d+)\s*(?:[_ #/,]|\s)\s*#?\s*(\d+)\s*$/i.exec(query);
  if (position) {
    const layer = Number(position[1]);
    const index = Number(position[2]);
    const rows = await db.featureOccurrence.findMany({
      where: { layer, index, graph: graphsInReach(workspaceIds) },
      select: { modelId: true, transcoderSetId: true, layer: true, index: true },
      distinct: ["modelId", "transcoderSetId"],
      take: SEARCH_LIMIT,
    });
    return rows.map((r) => ({ feature: r, label: null as string | null }));
  }
  const needle = query.trim().toLowerCase();
  if (needle === "") return [];
  // Label text is short; filtering in the process keeps the search case-insensitive on both databases.
  const rows = await db.label.findMany({
    where: { hiddenAt: null, ...labelsInReach(workspaceIds) },
    select: { modelId: true, transcoderSetId: true, layer: true, index: true, text: true },
    orderBy: { createdAt: "desc" },
    take: 5000,
  });
  const seen = new Set<string>();
  const out: { feature: TFeature; label: string | null }[] = [];
  for (const { text, ...feature } of rows) {
    if (!text.toLowerCase().includes(needle)) continue;
    const key = `${feature.modelId}\n${feature.transcoderSetId}\n${feature.layer}_${feature.index}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ feature, label: text });
    if (out.length >= SEARCH_LIMIT) break;
  }
  return out;
}

/** A feature counts as settled (out of the queue) when its best label's Wilson lower bound reaches this. */
const SETTLED_SCORE = 0.5;
const QUEUE_CANDIDATES = 300;

/**
 * The next feature of a workspace's label queue: of the features in its graphs, by summed importance (1 minus
 * the cumulative influence, per occurrence), the first
 * that is unlabelled or contested (its best label below SETTLED_SCORE, or a rival within 0.1 of it) and not in
 * `skip` (what the reader skipped or already did, as "model\nset\nlayer_index" keys). With its labels in the
 * workspace's and the public scope, and where it fired in the workspace's graphs.
 */
export async function nextQueueItem(db: Db, { actor, slug, skip }: { actor: Actor; slug: string; skip: string[] }) {
  const { workspace } = await authorizeWorkspace(db, actor.id, { slug }, "label.read");
  const skipped = new Set(skip);
  const groups = await rankedFeatures(db, workspace.id, QUEUE_CANDIDATES + skipped.size);
  for (const g of groups) {
    const feature = { modelId: g.modelId, transcoderSetId: g.transcoderSetId, layer: g.layer, index: g.index };
    if (skipped.has(queueKey(feature))) continue;
    const rows = await db.label.findMany({
      where: { ...featureWhere(feature), OR: [{ workspaceId: null }, { workspaceId: workspace.id }], hiddenAt: null },
      select: {
        id: true,
        text: true,
        workspaceId: true,
        source: true,
        sourceGraphId: true,
        createdAt: true,
        hiddenAt: true,
        author: { select: { id: true, name: true } },
        votes: { select: { value: true, userId: true } },
      },
    });
    const labels = rows.map((r) => toLabelView(r, actor.id));
    if (isSettled(labels)) continue;
    const contexts = await db.featureOccurrence.findMany({
      where: { ...featureWhere(feature), graph: { workspaceId: workspace.id } },
      select: {
        ctxIdx: true,
        activation: true,
        influence: true,
        graph: { select: { id: true, title: true, promptTokens: true } },
      },
      orderBy: { influence: "asc" },
      take: 10,
    });
    return {
      key: queueKey(feature),
      feature,
      importance: g.weight,
      labels: labels.sort((a, b) => b.score - a.score || a.createdAt.getTime() - b.createdAt.getTime()),
      contexts: contexts.map(({ graph, ...c }) => {
        const tokens = JSON.parse(graph.promptTokens) as string[];
        return {
          ...c,
          graphId: graph.id,
          graphTitle: graph.title,
          nodeId: `${feature.layer}_${feature.index}_${c.ctxIdx}`,
          before: tokens.slice(Math.max(0, c.ctxIdx - 8), c.ctxIdx).join(""),
          token: tokens[c.ctxIdx] ?? "",
          after: tokens.slice(c.ctxIdx + 1, c.ctxIdx + 4).join(""),
        };
      }),
    };
  }
  return null;
}

/**
 * A workspace's features by weight, heaviest first. A node's `influence` is cumulative (the viewer prunes nodes
 * above a threshold): smaller is more important, so a feature weighs the sum over its occurrences of
 * 1 - influence (a missing influence counts as 1). One grouped query, the same SQL on SQLite and PostgreSQL.
 */
async function rankedFeatures(db: Db, workspaceId: string, take: number) {
  const rows = await db.$queryRaw<
    { modelId: string; transcoderSetId: string; layer: number | bigint; index: number | bigint; weight: number }[]
  >`
    SELECT o."modelId", o."transcoderSetId", o."layer", o."index",
           CAST(COUNT(*) AS DOUBLE PRECISION) - CAST(COALESCE(SUM(o."influence"), 0) AS DOUBLE PRECISION) AS "weight"
    FROM "FeatureOccurrence" o JOIN "Graph" g ON g."id" = o."graphId"
    WHERE g."workspaceId" = ${workspaceId}
    GROUP BY o."modelId", o."transcoderSetId", o."layer", o."index"
    ORDER BY "weight" DESC, o."layer" ASC, o."index" ASC
    LIMIT ${take}`;
  return rows.map((r) => ({
    modelId: r.modelId,
    transcoderSetId: r.transcoderSetId,
    layer: Number(r.layer),
    index: Number(r.index),
    weight: Number(r.weight),
  }));
}

export function queueKey(f: TFeature): string {
  return `${f.modelId}\n${f.transcoderSetId}\n${f.layer}_${f.index}`;
}

function isSettled(labels: TLabelView[]): boolean {
  const best = bestLabel(labels);
  if (!best || best.score < SETTLED_SCORE) return false;
  return !labels.some(
    (l) => l.id !== best.id && l.hiddenAt === null && best.score - wilsonLowerBound(l.up, l.down) < 0.1,
  );
}

/** Labels proposed and votes cast in the workspace's scope, per member: the caller's count and the leaderboard. */
export async function labelContributions(db: Db, { actor, slug }: { actor: Actor; slug: string }) {
  const { workspace } = await authorizeWorkspace(db, actor.id, { slug }, "label.read");
  const [proposed, voted] = await Promise.all([
    db.label.groupBy({
      by: ["authorId"],
      where: { workspaceId: workspace.id, source: "user" },
      _count: { _all: true },
    }),
    db.labelVote.groupBy({ by: ["userId"], where: { label: { workspaceId: workspace.id } }, _count: { _all: true } }),
  ]);
  const totals = new Map<string, { labels: number; votes: number }>();
  for (const p of proposed) totals.set(p.authorId, { labels: p._count._all, votes: 0 });
  for (const v of voted) totals.set(v.userId, { labels: totals.get(v.userId)?.labels ?? 0, votes: v._count._all });
  const users = await db.user.findMany({ where: { id: { in: [...totals.keys()] } }, select: { id: true, name: true } });
  const leaderboard = users
    .map((u) => ({ userId: u.id, name: u.name, ...totals.get(u.id)! }))
    .sort((a, b) => b.labels + b.votes - (a.labels + a.votes) || a.name.localeCompare(b.name))
    .slice(0, 20);
  const mine = totals.get(actor.id) ?? { labels: 0, votes: 0 };
  return { mine, leaderboard };
}
