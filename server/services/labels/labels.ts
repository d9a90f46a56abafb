/**
 * Feature labels: propose, vote, list with history, hide. Labels are plain text (rendered as text, never
 * HTML). Scopes and who may do what: server/authz/label-access.ts.
 */
import { z } from "zod";
import type { Actor } from "../../authz/actor";
import { authorizeLabelScope, hideableScopes, labelsInReach, readableWorkspaceIds } from "../../authz/label-access";
import { authorizeWorkspace } from "../../authz/workspace-access";
import type { Db } from "../../db/client";
import { AppError, isUniqueViolation } from "../../errors";
import { publish, topicOf } from "../../live";
import { featureWhere, type TFeature } from "./feature-ref";
import { wilsonLowerBound } from "./wilson";

export const LABEL_MAX_CHARS = 200;

export const ZLabelTextSchema = z
  .string()
  .transform((s) => s.replace(/\s+/g, " ").trim())
  .pipe(z.string().min(1, "text: enter a label").max(LABEL_MAX_CHARS, `text: at most ${LABEL_MAX_CHARS} characters`));

export const LABEL_SOURCES = ["user", "import"] as const;

export interface TLabelView {
  id: string;
  text: string;
  workspaceId: string | null;
  source: string;
  sourceGraphId: string | null;
  author: { id: string; name: string };
  createdAt: Date;
  hiddenAt: Date | null;
  up: number;
  down: number;
  score: number;
  /** The caller's vote: 1, -1 or 0. */
  myVote: number;
}

const LABEL_SELECT = {
  id: true,
  text: true,
  workspaceId: true,
  source: true,
  sourceGraphId: true,
  createdAt: true,
  hiddenAt: true,
  author: { select: { id: true, name: true } },
  votes: { select: { value: true, userId: true } },
} as const;

type TLabelRow = {
  id: string;
  text: string;
  workspaceId: string | null;
  source: string;
  sourceGraphId: string | null;
  createdAt: Date;
  hiddenAt: Date | null;
  author: { id: string; name: string };
  votes: { value: number; userId: string }[];
};

export function toLabelView(row: TLabelRow, userId: string | null): TLabelView {
  const up = row.votes.filter((v) => v.value > 0).length;
  const down = row.votes.filter((v) => v.value < 0).length;
  const { votes, ...rest } = row;
  return {
    ...rest,
    up,
    down,
    score: wilsonLowerBound(up, down),
    myVote: votes.find((v) => v.userId === userId)?.value ?? 0,
  };
}

/** Best first: the Wilson lower bound, ties by age (older first). */
export function compareLabels(a: Pick<TLabelView, "score" | "createdAt" | "id">, b: typeof a): number {
  return b.score - a.score || a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1);
}

/**
 * Whether a label may be what graphs show: not hidden, and proposed by a user, or, when it came with a file,
 * voted up at least once (an unvoted import is a proposal: the file's graph keeps showing its own label).
 */
export function isShowable(l: Pick<TLabelView, "hiddenAt" | "source" | "up">): boolean {
  return l.hiddenAt === null && (l.source === "user" || l.up > 0);
}

/** The best showable label among `labels`, or null. */
export function bestLabel<T extends TLabelView>(labels: readonly T[]): T | null {
  return labels.filter(isShowable).sort(compareLabels)[0] ?? null;
}

async function scopeOfSlug(db: Db, actor: Actor, slug: string | null, action: "label.propose" | "label.read") {
  if (slug === null) return authorizeLabelScope(db, actor.id, null, action);
  const { workspace } = await authorizeWorkspace(db, actor.id, { slug }, action);
  return { workspaceId: workspace.id };
}

/** Proposes a label in a workspace's scope (slug) or the public one (slug null). */
export async function proposeLabel(
  db: Db,
  { actor, feature, text, slug }: { actor: Actor; feature: TFeature; text: string; slug: string | null },
): Promise<TLabelView> {
  const { workspaceId } = await scopeOfSlug(db, actor, slug, "label.propose");
  const existing = await db.label.findFirst({
    where: { ...featureWhere(feature), workspaceId, text, hiddenAt: null },
    select: { id: true },
  });
  if (existing) throw new AppError("CONFLICT", "This feature already has that label in this scope: vote for it");
  const row = await db.label.create({
    data: { ...featureWhere(feature), text, workspaceId, authorId: actor.id, source: "user" },
    select: LABEL_SELECT,
  });
  if (workspaceId !== null) {
    await publish(db, topicOf("workspace", workspaceId), "label.proposed", {
      durable: true,
      workspaceId,
      actorId: actor.id,
      payload: { labelId: row.id },
    });
  }
  return toLabelView(row, actor.id);
}

async function readableLabel(db: Db, actor: Actor, labelId: string, action: "label.vote" | "label.hide") {
  const label = await db.label.findUnique({ where: { id: labelId }, select: { id: true, workspaceId: true } });
  if (!label) throw new AppError("NOT_FOUND", "Label not found");
  try {
    await authorizeLabelScope(db, actor.id, label.workspaceId, action);
  } catch (e) {
    // A label in a workspace the caller is not in does not exist for them.
    if (e instanceof AppError && e.code === "NOT_FOUND") throw new AppError("NOT_FOUND", "Label not found");
    throw e;
  }
  return label;
}

/**
 * Sets the caller's vote on a label: 1 up, -1 down, 0 clears it. One row per (label, user), enforced by the
 * database's unique constraint: of two racing first votes one inserts, the other updates.
 */
export async function voteLabel(
  db: Db,
  { actor, labelId, value }: { actor: Actor; labelId: string; value: -1 | 0 | 1 },
): Promise<TLabelView> {
  await readableLabel(db, actor, labelId, "label.vote");
  const key = { labelId_userId: { labelId, userId: actor.id } };
  if (value === 0) {
    await db.labelVote.deleteMany({ where: { labelId, userId: actor.id } });
  } else {
    try {
      await db.labelVote.upsert({ where: key, create: { labelId, userId: actor.id, value }, update: { value } });
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      await db.labelVote.update({ where: key, data: { value } });
    }
  }
  return toLabelView(await db.label.findUniqueOrThrow({ where: { id: labelId }, select: LABEL_SELECT }), actor.id);
}

/** Hides (or shows again) a label: workspace admins in their scope, site admins in the public one. */
export async function hideLabel(
  db: Db,
  { actor, labelId, isHidden }: { actor: Actor; labelId: string; isHidden: boolean },
): Promise<TLabelView> {
  await readableLabel(db, actor, labelId, "label.hide");
  const row = await db.label.update({
    where: { id: labelId },
    data: isHidden ? { hiddenAt: new Date(), hiddenById: actor.id } : { hiddenAt: null, hiddenById: null },
    select: LABEL_SELECT,
  });
  return toLabelView(row, actor.id);
}

/**
 * Every label of a feature the caller may read (public, and their workspaces'), hidden ones included and
 * marked (the history), best first; `best` per scope is what graphs in that scope show.
 */
export async function listFeatureLabels(db: Db, { actor, feature }: { actor: Actor; feature: TFeature }) {
  await authorizeLabelScope(db, actor.id, null, "label.read");
  const workspaceIds = await readableWorkspaceIds(db, actor.id);
  const rows = await db.label.findMany({
    where: { ...featureWhere(feature), ...labelsInReach(workspaceIds) },
    select: LABEL_SELECT,
    orderBy: { createdAt: "asc" },
  });
  const hideable = await hideableScopes(db, actor.id);
  const labels = rows
    .map((r) => ({
      ...toLabelView(r, actor.id),
      canHide: r.workspaceId === null ? hideable.isPublic : hideable.workspaceIds.includes(r.workspaceId),
    }))
    .sort(compareLabels);
  const workspaces = await db.workspace.findMany({
    where: { id: { in: [...new Set(labels.flatMap((l) => (l.workspaceId ? [l.workspaceId] : [])))] } },
    select: { id: true, slug: true, name: true },
  });
  return { labels, workspaces, bestPublic: bestLabel(labels.filter((l) => l.workspaceId === null))?.id ?? null };
}

/**
 * The labels a file brought (its nodes' clerps), as proposals with source "import" attributed to the graph, in
 * the importing workspace's scope (never public). One per (feature, text); one already there is not repeated.
 */
export async function importFileLabels(
  db: Db,
  o: {
    actorId: string;
    workspaceId: string;
    graphId: string;
    modelId: string;
    transcoderSetId: string;
    features: { layer: ArrayLike<number>; index: ArrayLike<number>; clerp: readonly string[] };
  },
): Promise<number> {
  if (o.transcoderSetId === "") return 0;
  const wanted = new Map<string, { layer: number; index: number; text: string }>();
  for (let i = 0; i < o.features.clerp.length; i++) {
    const text = o.features.clerp[i]!.replace(/\s+/g, " ").trim().slice(0, LABEL_MAX_CHARS);
    if (text === "") continue;
    const layer = o.features.layer[i]!;
    const index = o.features.index[i]!;
    wanted.set(`${layer}_${index}\n${text}`, { layer, index, text });
  }
  if (wanted.size === 0) return 0;
  const scope = { modelId: o.modelId, transcoderSetId: o.transcoderSetId, workspaceId: o.workspaceId };
  const entries = [...wanted.values()];
  const existing = await db.label.findMany({
    where: {
      ...scope,
      layer: { in: [...new Set(entries.map((e) => e.layer))] },
      text: { in: entries.map((e) => e.text) },
    },
    select: { layer: true, index: true, text: true },
  });
  const have = new Set(existing.map((e) => `${e.layer}_${e.index}\n${e.text}`));
  const data = entries
    .filter((e) => !have.has(`${e.layer}_${e.index}\n${e.text}`))
    .map((e) => ({ ...scope, ...e, authorId: o.actorId, source: "import", sourceGraphId: o.graphId }));
  for (let start = 0; start < data.length; start += 2000) {
    await db.label.createMany({ data: data.slice(start, start + 2000) });
  }
  return data.length;
}
