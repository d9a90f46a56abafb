/**
 * Reading a published case study: a version (the latest, or one by number) through its capability
 * (server/authz/case-study-access.ts). A reader gets the version's own snapshot: prose, views, graph titles
 * and labels as of publication, and the bodies of its graphs — nothing read live from the workspace, so
 * later edits change nothing a reader sees. A graph deleted since says so (isGraphDeleted).
 */
import type { Actor } from "../../authz/actor";
import { assertCapabilityCoversGraph, authorizeCaseStudyVersion } from "../../authz/case-study-access";
import type { Db } from "../../db/client";
import { AppError } from "../../errors";
import type { BlobStore } from "../../storage/blob-store";
import { renderCommentMarkdown } from "../comments/render-markdown";
import { unsafeReadGraphBody } from "../graphs";
import type { TLabelSnapshot, TPublishedStep } from "./publish";

export async function readPublishedCaseStudy(
  db: Db,
  {
    actor,
    slug,
    number,
    isEmbed = false,
  }: { actor: Actor | null; slug: string; number?: number | undefined; isEmbed?: boolean },
) {
  const { version, capability, role } = await authorizeCaseStudyVersion(db, actor?.id ?? null, {
    slug,
    number,
    isEmbed,
  });
  const steps = JSON.parse(version.steps) as TPublishedStep[];
  const existing = await db.graph.findMany({ where: { id: { in: [...capability.graphIds] } }, select: { id: true } });
  const alive = new Set(existing.map((g) => g.id));
  const [versions, publisher] = await Promise.all([
    db.caseStudyVersion.findMany({
      // The versions this caller may open (a workspace-only one is not even named to others).
      where: {
        caseStudyId: capability.caseStudyId,
        ...(role === null ? { visibility: { in: ["unlisted", "public"] } } : {}),
      },
      orderBy: { number: "desc" },
      select: { number: true, publishedAt: true },
    }),
    db.user.findUnique({ where: { id: version.publishedById }, select: { name: true } }),
  ]);
  return {
    slug,
    number: version.number,
    title: version.title,
    summary: version.summary,
    visibility: capability.visibility,
    publishedAt: version.publishedAt,
    publishedBy: publisher?.name ?? "(removed user)",
    versions,
    steps: steps.map((s, index) => ({
      index,
      id: s.id,
      proseHtml: renderCommentMarkdown(s.prose),
      graphId: s.graphId,
      graphTitle: s.graphTitle,
      isGraphDeleted: s.graphId !== null && !alive.has(s.graphId),
      view: s.view,
    })),
    labels: JSON.parse(version.labels) as TLabelSnapshot,
    hasCoverImage: version.coverImage !== "",
  };
}

/** GET /api/case-studies/:slug/v/:n/cover.png — the version's cover PNG (Open Graph), through its capability. */
export async function readCaseStudyCover(
  db: Db,
  { actor, slug, number }: { actor: Actor | null; slug: string; number: number },
): Promise<Buffer> {
  const { version } = await authorizeCaseStudyVersion(db, actor?.id ?? null, { slug, number });
  const base64 = version.coverImage.replace(/^data:image\/png;base64,/, "");
  if (!base64) throw new AppError("NOT_FOUND", "This version has no cover image");
  return Buffer.from(base64, "base64");
}

/** GET /api/case-studies/:slug/v/:n/graphs/:graphId/data — a graph body the version's capability covers. */
export async function readCaseStudyGraphBody(
  db: Db,
  store: BlobStore,
  { actor, slug, number, graphId }: { actor: Actor | null; slug: string; number: number; graphId: string },
) {
  const { capability } = await authorizeCaseStudyVersion(db, actor?.id ?? null, { slug, number });
  assertCapabilityCoversGraph(capability, graphId);
  const graph = await db.graph.findUnique({ where: { id: graphId }, select: { id: true, blobKey: true, title: true } });
  if (!graph) throw new AppError("NOT_FOUND", "This graph was deleted after the case study was published");
  return unsafeReadGraphBody(db, store, graph);
}

/** Published public case studies, newest first, for /explore (the latest version of each). */
export async function listPublicCaseStudies(
  db: Db,
  { query, take = 50 }: { query?: string | undefined; take?: number },
) {
  const rows = await db.caseStudyVersion.findMany({
    where: { visibility: "public" },
    orderBy: { publishedAt: "desc" },
    take: take * 4,
    select: {
      caseStudyId: true,
      number: true,
      title: true,
      summary: true,
      publishedAt: true,
      caseStudy: { select: { slug: true } },
    },
  });
  const q = query?.trim().toLowerCase() ?? "";
  const latest = new Map<string, (typeof rows)[number]>();
  for (const r of rows) if (!latest.has(r.caseStudyId)) latest.set(r.caseStudyId, r);
  // A study whose newest version is not public is not listed (its older public version stays readable by link).
  const newest = await db.caseStudyVersion.groupBy({
    by: ["caseStudyId"],
    where: { caseStudyId: { in: [...latest.keys()] } },
    _max: { number: true },
  });
  const newestNumber = new Map(newest.map((n) => [n.caseStudyId, n._max.number]));
  return [...latest.values()]
    .filter((r) => newestNumber.get(r.caseStudyId) === r.number)
    .filter((r) => !q || `${r.title} ${r.summary}`.toLowerCase().includes(q))
    .slice(0, take)
    .map((r) => ({
      slug: r.caseStudy.slug,
      number: r.number,
      title: r.title,
      summary: r.summary,
      publishedAt: r.publishedAt,
    }));
}
