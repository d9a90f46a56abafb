/**
 * Authoring a case study: the draft (title, summary, cover, visibility) and its ordered steps. Members read
 * drafts; editors write them (server/authz/case-study-access.ts). Every write marks the draft as differing
 * from the published version, which readers keep seeing until the next publication (publish.ts).
 */
import type { Actor } from "../../authz/actor";
import { authorizeCaseStudy } from "../../authz/case-study-access";
import { authorizeWorkspace } from "../../authz/workspace-access";
import type { Db } from "../../db/client";
import { AppError } from "../../errors";
import { renderCommentMarkdown } from "../comments/render-markdown";
import { EMPTY_VIEW, MAX_STEP_VIEW_BYTES, MAX_STEPS, parseStoredView, type TStepView } from "./schemas";
import { newCaseStudySlug, newId } from "./slugs";

type TStepRow = {
  id: string;
  position: number;
  prose: string;
  graphId: string | null;
  view: string;
  preview: string;
};

function stepOut(row: TStepRow, graphTitles: Map<string, string>) {
  return {
    id: row.id,
    position: row.position,
    prose: row.prose,
    proseHtml: renderCommentMarkdown(row.prose),
    graphId: row.graphId,
    graphTitle: row.graphId ? (graphTitles.get(row.graphId) ?? null) : null,
    view: parseStoredView(row.view),
    hasPreview: row.preview !== "",
  };
}

function viewText(view: TStepView): string {
  const text = JSON.stringify(view);
  if (Buffer.byteLength(text) > MAX_STEP_VIEW_BYTES) {
    throw new AppError("PAYLOAD_TOO_LARGE", `view: at most ${MAX_STEP_VIEW_BYTES / 1024} KB as JSON`);
  }
  return text;
}

/** A step's graph must be one of the study's own workspace (a study never reaches into another workspace). */
async function assertGraphInWorkspace(db: Db, graphId: string, workspaceId: string) {
  const graph = await db.graph.findUnique({ where: { id: graphId }, select: { workspaceId: true } });
  if (!graph || graph.workspaceId !== workspaceId) {
    throw new AppError("BAD_REQUEST", "graphId: a step shows a graph of the case study's own workspace");
  }
}

async function touch(db: Db, caseStudyId: string) {
  await db.caseStudy.update({ where: { id: caseStudyId }, data: { isDraftDirty: true } });
}

export async function createCaseStudy(
  db: Db,
  { actor, slug, title, summary = "" }: { actor: Actor; slug: string; title: string; summary?: string },
) {
  const { workspace } = await authorizeWorkspace(db, actor.id, { slug }, "caseStudy.edit");
  const row = await db.caseStudy.create({
    data: {
      id: newId(),
      workspaceId: workspace.id,
      slug: newCaseStudySlug(title),
      title,
      summary,
      createdById: actor.id,
    },
  });
  return { id: row.id, slug: row.slug, title: row.title };
}

export async function listCaseStudies(db: Db, { actor, slug }: { actor: Actor; slug: string }) {
  const { workspace } = await authorizeWorkspace(db, actor.id, { slug }, "caseStudy.read");
  const rows = await db.caseStudy.findMany({
    where: { workspaceId: workspace.id },
    orderBy: { updatedAt: "desc" },
    include: {
      _count: { select: { steps: true } },
      versions: { orderBy: { number: "desc" }, take: 1, select: { number: true, publishedAt: true, visibility: true } },
    },
  });
  return rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    title: r.title,
    summary: r.summary,
    visibility: r.visibility,
    stepCount: r._count.steps,
    isDraftDirty: r.isDraftDirty,
    latestVersion: r.versions[0] ?? null,
    updatedAt: r.updatedAt,
  }));
}

export async function getCaseStudyDraft(db: Db, { actor, caseStudyId }: { actor: Actor; caseStudyId: string }) {
  const { study, workspace, role } = await authorizeCaseStudy(db, actor.id, caseStudyId, "caseStudy.read");
  const steps = await db.caseStudyStep.findMany({ where: { caseStudyId }, orderBy: { position: "asc" } });
  const graphIds = [...new Set(steps.flatMap((s) => (s.graphId ? [s.graphId] : [])))];
  const graphs = await db.graph.findMany({
    where: { id: { in: graphIds }, workspaceId: study.workspaceId },
    select: { id: true, title: true },
  });
  const titles = new Map(graphs.map((g) => [g.id, g.title]));
  const latest = await db.caseStudyVersion.findFirst({
    where: { caseStudyId },
    orderBy: { number: "desc" },
    select: { number: true, publishedAt: true },
  });
  return {
    id: study.id,
    slug: study.slug,
    title: study.title,
    summary: study.summary,
    visibility: study.visibility,
    coverStepId: study.coverStepId,
    isDraftDirty: study.isDraftDirty,
    updatedAt: study.updatedAt,
    workspace,
    canEdit: role !== "viewer",
    latestVersion: latest,
    steps: steps.map((s) => stepOut(s, titles)),
  };
}

/** Autosave of the study's own fields. */
export async function updateCaseStudy(
  db: Db,
  {
    actor,
    caseStudyId,
    ...fields
  }: {
    actor: Actor;
    caseStudyId: string;
    title?: string | undefined;
    summary?: string | undefined;
    visibility?: string | undefined;
    coverStepId?: string | null | undefined;
  },
) {
  await authorizeCaseStudy(db, actor.id, caseStudyId, "caseStudy.edit");
  if (fields.coverStepId) {
    const step = await db.caseStudyStep.findUnique({ where: { id: fields.coverStepId } });
    if (!step || step.caseStudyId !== caseStudyId) throw new AppError("BAD_REQUEST", "coverStepId: not a step of it");
  }
  const row = await db.caseStudy.update({
    where: { id: caseStudyId },
    data: {
      ...(fields.title !== undefined ? { title: fields.title } : {}),
      ...(fields.summary !== undefined ? { summary: fields.summary } : {}),
      ...(fields.visibility !== undefined ? { visibility: fields.visibility } : {}),
      ...(fields.coverStepId !== undefined ? { coverStepId: fields.coverStepId } : {}),
      isDraftDirty: true,
    },
  });
  return { id: row.id, updatedAt: row.updatedAt };
}

export async function deleteCaseStudy(db: Db, { actor, caseStudyId }: { actor: Actor; caseStudyId: string }) {
  await authorizeCaseStudy(db, actor.id, caseStudyId, "caseStudy.edit");
  await db.caseStudy.delete({ where: { id: caseStudyId } });
  return { id: caseStudyId };
}

async function orderedSteps(db: Db, caseStudyId: string) {
  return db.caseStudyStep.findMany({ where: { caseStudyId }, orderBy: { position: "asc" } });
}

/** Rewrites positions 0..n-1 in the given order. */
async function renumber(db: Db, ids: string[]) {
  await db.$transaction(ids.map((id, position) => db.caseStudyStep.update({ where: { id }, data: { position } })));
}

/** A new step at the end (or after `afterStepId`): "Capture current view" sends the viewer's state here. */
export async function addCaseStudyStep(
  db: Db,
  {
    actor,
    caseStudyId,
    graphId = null,
    prose = "",
    view = EMPTY_VIEW,
    afterStepId,
    preview = "",
  }: {
    actor: Actor;
    caseStudyId: string;
    graphId?: string | null | undefined;
    prose?: string | undefined;
    view?: TStepView | undefined;
    afterStepId?: string | undefined;
    /** A PNG of the view (data: URL, validated by the router's ZPreviewSchema). */
    preview?: string | undefined;
  },
) {
  const { study } = await authorizeCaseStudy(db, actor.id, caseStudyId, "caseStudy.edit");
  if (graphId) await assertGraphInWorkspace(db, graphId, study.workspaceId);
  const steps = await orderedSteps(db, caseStudyId);
  if (steps.length >= MAX_STEPS) throw new AppError("BAD_REQUEST", `A case study has at most ${MAX_STEPS} steps`);
  const at = afterStepId ? steps.findIndex((s) => s.id === afterStepId) + 1 : steps.length;
  if (afterStepId && at === 0) throw new AppError("BAD_REQUEST", "afterStepId: not a step of this case study");
  const row = await db.caseStudyStep.create({
    data: { id: newId(), caseStudyId, position: steps.length, prose, graphId, view: viewText(view), preview },
  });
  const ids = steps.map((s) => s.id);
  ids.splice(at, 0, row.id);
  await renumber(db, ids);
  await touch(db, caseStudyId);
  return { id: row.id, position: at };
}

async function stepFor(db: Db, actor: Actor, stepId: string) {
  const step = await db.caseStudyStep.findUnique({ where: { id: stepId } });
  if (!step) throw new AppError("NOT_FOUND", "Step not found");
  const { study } = await authorizeCaseStudy(db, actor.id, step.caseStudyId, "caseStudy.edit");
  return { step, study };
}

export async function updateCaseStudyStep(
  db: Db,
  {
    actor,
    stepId,
    prose,
    graphId,
    view,
  }: {
    actor: Actor;
    stepId: string;
    prose?: string | undefined;
    graphId?: string | null | undefined;
    view?: TStepView | undefined;
  },
) {
  const { step, study } = await stepFor(db, actor, stepId);
  if (graphId) await assertGraphInWorkspace(db, graphId, study.workspaceId);
  await db.caseStudyStep.update({
    where: { id: step.id },
    data: {
      ...(prose !== undefined ? { prose } : {}),
      ...(graphId !== undefined ? { graphId } : {}),
      ...(view !== undefined ? { view: viewText(view) } : {}),
    },
  });
  await touch(db, study.id);
  return { id: step.id };
}

/** Moves a step to index `toIndex` (clamped): drag and drop, and the keyboard's up/down buttons. */
export async function moveCaseStudyStep(
  db: Db,
  { actor, stepId, toIndex }: { actor: Actor; stepId: string; toIndex: number },
) {
  const { step, study } = await stepFor(db, actor, stepId);
  const ids = (await orderedSteps(db, study.id)).map((s) => s.id).filter((id) => id !== step.id);
  const at = Math.max(0, Math.min(ids.length, toIndex));
  ids.splice(at, 0, step.id);
  await renumber(db, ids);
  await touch(db, study.id);
  return { id: step.id, position: at };
}

export async function duplicateCaseStudyStep(db: Db, { actor, stepId }: { actor: Actor; stepId: string }) {
  const { step } = await stepFor(db, actor, stepId);
  return addCaseStudyStep(db, {
    actor,
    caseStudyId: step.caseStudyId,
    graphId: step.graphId,
    prose: step.prose,
    view: parseStoredView(step.view),
    afterStepId: step.id,
    preview: step.preview,
  });
}

export async function deleteCaseStudyStep(db: Db, { actor, stepId }: { actor: Actor; stepId: string }) {
  const { step, study } = await stepFor(db, actor, stepId);
  await db.caseStudyStep.delete({ where: { id: step.id } });
  if (study.coverStepId === step.id)
    await db.caseStudy.update({ where: { id: study.id }, data: { coverStepId: null } });
  await renumber(
    db,
    (await orderedSteps(db, study.id)).map((s) => s.id),
  );
  await touch(db, study.id);
  return { id: step.id };
}
