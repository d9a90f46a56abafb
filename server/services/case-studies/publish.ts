/**
 * Publishing a case study: the draft becomes an immutable CaseStudyVersion (steps, the graphs they make
 * readable, the labels as of now). publishCaseStudy without `isConfirmed` answers what WOULD become readable
 * (exactly which graphs, which labels) and writes nothing; with it, publishes. Readers see the latest version
 * until the next publication, whatever happens to the draft.
 */
import { parseGraph, labelKeyOf } from "@circuitboard/shared/graph-format";
import type { Actor } from "../../authz/actor";
import { authorizeCaseStudy } from "../../authz/case-study-access";
import type { Db } from "../../db/client";
import { AppError } from "../../errors";
import { publish, topicOf } from "../../live";
import type { BlobStore } from "../../storage/blob-store";
import { unsafeReadGraphBody } from "../graphs";
import { shownLabelsForGraph } from "../labels/shown-labels";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import { parseStoredView, type TStepView } from "./schemas";

const gunzipAsync = promisify(gunzip);

/** One step as a version stores it (and readers get it). */
export interface TPublishedStep {
  readonly id: string;
  readonly prose: string;
  readonly graphId: string | null;
  readonly graphTitle: string | null;
  readonly view: TStepView;
}

/** graphId -> (feature key "layer_index", or node_id for non-feature nodes) -> label. */
export type TLabelSnapshot = Record<string, Record<string, string>>;

/**
 * The labels a reader of the version sees on each graph, in the order a graph shows them (lowest first, each
 * layer over the last): the graph file's own labels, the label system's (the study's workspace's best label,
 * else the best public one, as of publication), then the steps' label overrides of that graph (later steps win).
 */
export async function snapshotLabels(
  db: Db,
  store: BlobStore,
  {
    workspaceId,
    graphs,
    steps,
  }: { workspaceId: string; graphs: { id: string; blobKey: string; title: string }[]; steps: TPublishedStep[] },
): Promise<TLabelSnapshot> {
  const snapshot: TLabelSnapshot = {};
  for (const graph of graphs) {
    const { bytes, isGzipped } = await unsafeReadGraphBody(db, store, graph);
    const parsed = parseGraph(isGzipped ? await gunzipAsync(bytes) : bytes);
    const labels: Record<string, string> = {};
    for (const node of parsed.nodes) if (node.clerp) labels[labelKeyOf(node)] = node.clerp;
    Object.assign(labels, await shownLabelsForGraph(db, { graphId: graph.id, workspaceId }));
    for (const step of steps) {
      if (step.graphId !== graph.id) continue;
      for (const [key, label] of step.view.state.clerps) labels[key] = label;
    }
    snapshot[graph.id] = labels;
  }
  return snapshot;
}

async function draftSnapshot(
  db: Db,
  store: BlobStore,
  study: { id: string; workspaceId: string; coverStepId: string | null },
) {
  const rows = await db.caseStudyStep.findMany({ where: { caseStudyId: study.id }, orderBy: { position: "asc" } });
  if (rows.length === 0) throw new AppError("BAD_REQUEST", "Add a step before publishing");
  const graphIds = [...new Set(rows.flatMap((s) => (s.graphId ? [s.graphId] : [])))];
  const graphs = await db.graph.findMany({
    where: { id: { in: graphIds }, workspaceId: study.workspaceId },
    select: { id: true, title: true, blobKey: true, visibility: true },
  });
  const byId = new Map(graphs.map((g) => [g.id, g]));
  const missing = rows.findIndex((s) => s.graphId && !byId.has(s.graphId));
  if (missing >= 0) throw new AppError("BAD_REQUEST", `Step ${missing + 1}: its graph was deleted; pick another`);
  const steps: TPublishedStep[] = rows.map((s) => ({
    id: s.id,
    prose: s.prose,
    graphId: s.graphId,
    graphTitle: s.graphId ? byId.get(s.graphId)!.title : null,
    view: parseStoredView(s.view),
  }));
  const ordered = graphIds.map((id) => byId.get(id)!);
  const labels = await snapshotLabels(db, store, { workspaceId: study.workspaceId, graphs: ordered, steps });
  // The cover: the chosen step's preview, else the first step that has one.
  const cover = rows.find((s) => s.id === study.coverStepId && s.preview) ?? rows.find((s) => s.preview);
  return { steps, graphs: ordered, labels, coverImage: cover?.preview ?? "" };
}

export async function publishCaseStudy(
  db: Db,
  store: BlobStore,
  { actor, caseStudyId, isConfirmed }: { actor: Actor; caseStudyId: string; isConfirmed: boolean },
) {
  const { study } = await authorizeCaseStudy(db, actor.id, caseStudyId, "caseStudy.publish");
  const { steps, graphs, labels, coverImage } = await draftSnapshot(db, store, study);
  const readable = {
    visibility: study.visibility,
    graphs: graphs.map((g) => ({ id: g.id, title: g.title, visibility: g.visibility })),
    labels: graphs.map((g) => ({ graphId: g.id, labels: labels[g.id] ?? {} })),
  };
  if (!isConfirmed) return { isPublished: false as const, readable };
  const latest = await db.caseStudyVersion.findFirst({ where: { caseStudyId }, orderBy: { number: "desc" } });
  const number = (latest?.number ?? 0) + 1;
  const version = await db.caseStudyVersion.create({
    data: {
      caseStudyId,
      number,
      title: study.title,
      summary: study.summary,
      visibility: study.visibility,
      steps: JSON.stringify(steps),
      graphIds: JSON.stringify(graphs.map((g) => g.id)),
      labels: JSON.stringify(labels),
      coverImage,
      publishedById: actor.id,
    },
  });
  await db.caseStudy.update({ where: { id: caseStudyId }, data: { isDraftDirty: false } });
  await publish(db, topicOf("workspace", study.workspaceId), "casestudy.published", {
    durable: true,
    workspaceId: study.workspaceId,
    actorId: actor.id,
    payload: { caseStudyId, number },
  });
  return { isPublished: true as const, readable, number: version.number, slug: study.slug };
}

export async function listCaseStudyVersions(db: Db, { actor, caseStudyId }: { actor: Actor; caseStudyId: string }) {
  await authorizeCaseStudy(db, actor.id, caseStudyId, "caseStudy.read");
  const rows = await db.caseStudyVersion.findMany({
    where: { caseStudyId },
    orderBy: { number: "desc" },
    select: { number: true, title: true, visibility: true, publishedAt: true, publishedBy: { select: { name: true } } },
  });
  return rows.map((r) => ({
    number: r.number,
    title: r.title,
    visibility: r.visibility,
    publishedAt: r.publishedAt,
    publishedBy: r.publishedBy.name,
  }));
}
