/**
 * The activity feed: a workspace's history (graphs imported and generated, comments, resolves), read from
 * the live channel's event table, newest first, and the personal "for you" view across every workspace
 * you are a member of (others' actions only). Labels and case studies add their event types to
 * ACTIVITY_TYPES. Names, titles and excerpts are read now, through the same rules as the data itself:
 * a deleted graph or comment shows as such.
 */
import { authorizeWorkspace } from "../authz/workspace-access";
import type { Db } from "../db/client";
import { anchorFromRow, anchorHref } from "./comments/anchors";
import type { Actor } from "../authz/actor";
import { featurePath } from "./labels/feature-ref";

export const ACTIVITY_TYPES = [
  "graph.imported",
  "graph.generated",
  "comment.created",
  "thread.resolved",
  "thread.reopened",
  "label.proposed",
  "casestudy.published",
];
const PAGE = 50;

type TEventRow = Awaited<ReturnType<Db["event"]["findMany"]>>[number];

async function describeEvents(db: Db, rows: TEventRow[]) {
  const payloads = rows.map((r) => JSON.parse(r.payload) as Record<string, string | undefined>);
  const ids = (key: string) => [...new Set(payloads.flatMap((p) => (p[key] ? [p[key]] : [])))];
  const [users, graphs, threads, comments, workspaces, labels, studies] = await Promise.all([
    db.user.findMany({
      where: { id: { in: [...new Set(rows.flatMap((r) => (r.actorId ? [r.actorId] : [])))] } },
      select: { id: true, name: true },
    }),
    db.graph.findMany({ where: { id: { in: ids("graphId") } }, select: { id: true, title: true } }),
    db.commentThread.findMany({
      where: { id: { in: ids("threadId") } },
      select: { id: true, graphId: true, anchorKind: true, anchorKey: true, graph: { select: { title: true } } },
    }),
    db.comment.findMany({ where: { id: { in: ids("commentId") } }, select: { id: true, body: true, deletedAt: true } }),
    db.workspace.findMany({
      where: { id: { in: [...new Set(rows.flatMap((r) => (r.workspaceId ? [r.workspaceId] : [])))] } },
      select: { id: true, slug: true, name: true },
    }),
    db.label.findMany({
      where: { id: { in: ids("labelId") } },
      select: { id: true, text: true, modelId: true, transcoderSetId: true, layer: true, index: true },
    }),
    db.caseStudy.findMany({ where: { id: { in: ids("caseStudyId") } }, select: { id: true, slug: true, title: true } }),
  ]);
  const labelOf = new Map(labels.map((l) => [l.id, l]));
  const studyOf = new Map(studies.map((s) => [s.id, s]));
  const userName = new Map(users.map((u) => [u.id, u.name]));
  const graphTitle = new Map(graphs.map((g) => [g.id, g.title]));
  const threadOf = new Map(threads.map((t) => [t.id, t]));
  const commentOf = new Map(comments.map((c) => [c.id, c]));
  const workspaceOf = new Map(workspaces.map((w) => [w.id, w]));
  return rows.map((row, i) => {
    const p = payloads[i]!;
    const thread = p.threadId ? threadOf.get(p.threadId) : undefined;
    const comment = p.commentId ? commentOf.get(p.commentId) : undefined;
    const graphId = p.graphId ?? thread?.graphId ?? null;
    const anchor = thread ? anchorFromRow(thread.anchorKind, thread.anchorKey) : null;
    const base = {
      id: row.id,
      type: row.type,
      createdAt: row.createdAt,
      actorName: row.actorId ? (userName.get(row.actorId) ?? "(removed user)") : null,
      workspace: row.workspaceId ? (workspaceOf.get(row.workspaceId) ?? null) : null,
    };
    const label = p.labelId ? labelOf.get(p.labelId) : undefined;
    if (p.labelId) {
      // A label event: its text (plain; the feed renders text) and the feature's page.
      return {
        ...base,
        graphTitle: null,
        caseStudyTitle: null,
        anchor: null,
        excerpt: label ? label.text : "(removed label)",
        href: label ? featurePath(label) : null,
      };
    }
    const study = p.caseStudyId ? studyOf.get(p.caseStudyId) : undefined;
    if (study) {
      return {
        ...base,
        graphTitle: null,
        caseStudyTitle: study.title,
        anchor: null,
        excerpt: null,
        href: `/s/${encodeURIComponent(study.slug)}`,
      };
    }
    return {
      id: row.id,
      type: row.type,
      createdAt: row.createdAt,
      actorName: row.actorId ? (userName.get(row.actorId) ?? "(removed user)") : null,
      workspace: row.workspaceId ? (workspaceOf.get(row.workspaceId) ?? null) : null,
      graphTitle: graphId ? (graphTitle.get(graphId) ?? thread?.graph?.title ?? null) : null,
      anchor,
      excerpt: comment ? (comment.deletedAt ? "(deleted)" : comment.body.slice(0, 200)) : null,
      caseStudyTitle: null as string | null,
      href:
        thread && thread.graphId && anchor
          ? anchorHref(thread.graphId, anchor, thread.id)
          : graphId && graphTitle.has(graphId)
            ? `/g/${encodeURIComponent(graphId)}`
            : null,
    };
  });
}

export async function listWorkspaceActivity(
  db: Db,
  { actor, slug, beforeId }: { actor: Actor; slug: string; beforeId?: number },
) {
  const { workspace } = await authorizeWorkspace(db, actor.id, { slug }, "activity.read");
  const rows = await db.event.findMany({
    where: { workspaceId: workspace.id, type: { in: ACTIVITY_TYPES }, ...(beforeId ? { id: { lt: beforeId } } : {}) },
    orderBy: { id: "desc" },
    take: PAGE,
  });
  return {
    workspaceId: workspace.id,
    items: await describeEvents(db, rows),
    nextBeforeId: rows.length === PAGE ? rows.at(-1)!.id : null,
  };
}

/** Others' activity in every workspace you belong to. */
export async function listActivityForYou(db: Db, { actor, beforeId }: { actor: Actor; beforeId?: number }) {
  const memberships = await db.membership.findMany({ where: { userId: actor.id }, select: { workspaceId: true } });
  const rows = await db.event.findMany({
    where: {
      workspaceId: { in: memberships.map((m) => m.workspaceId) },
      type: { in: ACTIVITY_TYPES },
      OR: [{ actorId: null }, { actorId: { not: actor.id } }],
      ...(beforeId ? { id: { lt: beforeId } } : {}),
    },
    orderBy: { id: "desc" },
    take: PAGE,
  });
  return { items: await describeEvents(db, rows), nextBeforeId: rows.length === PAGE ? rows.at(-1)!.id : null };
}
