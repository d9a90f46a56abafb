/**
 * Case studies, two ways in:
 *  - authoring (the draft, its steps, publishing): a workspace action on the study's workspace
 *    (caseStudy.read / caseStudy.edit / caseStudy.publish in policy.ts);
 *  - reading a PUBLISHED version: a capability scoped to that version. Whoever may read the version
 *    (CASE_STUDY_READERS: members for "workspace", anyone for "unlisted" and "public") may read exactly the
 *    graphs it lists (their bodies, immutable since import) and its label snapshot — never the graphs' own
 *    rows beyond that, comments, other graphs or members. The graph's own visibility is not consulted nor
 *    changed: the capability is the version, not the graph.
 * A study or version the caller may not read answers NOT_FOUND, exactly like one that does not exist.
 */
import type { Db } from "../db/client";
import { AppError } from "../errors";
import {
  assertMayPerform,
  CASE_STUDY_VISIBILITIES,
  mayEmbedCaseStudyVersion,
  mayReadCaseStudyVersion,
  type CaseStudyVisibility,
  type WorkspaceAction,
} from "./policy";
import { isRole, type Role } from "./roles";

export type CaseStudyAction = Extract<WorkspaceAction, "caseStudy.read" | "caseStudy.edit" | "caseStudy.publish">;

async function roleIn(db: Db, userId: string | null, workspaceId: string): Promise<Role | null> {
  if (!userId) return null;
  const row = await db.membership.findUnique({
    where: { workspaceId_userId: { workspaceId, userId } },
    select: { role: true },
  });
  return row && isRole(row.role) ? row.role : null;
}

/** The draft study, for an authoring action. */
export async function authorizeCaseStudy(db: Db, userId: string | null, caseStudyId: string, action: CaseStudyAction) {
  const study = await db.caseStudy.findUnique({
    where: { id: caseStudyId },
    include: { workspace: { select: { id: true, slug: true, name: true } } },
  });
  if (!study) throw new AppError("NOT_FOUND", "Case study not found");
  if (!userId) throw new AppError("UNAUTHORIZED", "Sign in first");
  const role = await roleIn(db, userId, study.workspaceId);
  if (role === null) throw new AppError("NOT_FOUND", "Case study not found");
  assertMayPerform(role, action);
  const { workspace, ...row } = study;
  return { study: row, workspace, role };
}

/** The capability a reader of one published version holds. */
export interface TCaseStudyCapability {
  readonly caseStudyId: string;
  readonly versionId: string;
  readonly number: number;
  readonly visibility: CaseStudyVisibility;
  /** The graphs whose bodies this version makes readable. */
  readonly graphIds: ReadonlySet<string>;
}

/**
 * A published version (the latest when `number` is absent) for a reader, signed in or not; `embed`: an
 * embed page (cookie-less, so the caller is anonymous) shows public and unlisted versions only.
 */
export async function authorizeCaseStudyVersion(
  db: Db,
  userId: string | null,
  { slug, number, isEmbed = false }: { slug: string; number?: number | undefined; isEmbed?: boolean },
) {
  const study = await db.caseStudy.findUnique({ where: { slug }, select: { id: true, workspaceId: true } });
  const version = study
    ? await db.caseStudyVersion.findFirst({
        where: { caseStudyId: study.id, ...(number !== undefined ? { number } : {}) },
        orderBy: { number: "desc" },
      })
    : null;
  const notFound = new AppError("NOT_FOUND", "Case study not found");
  if (!study || !version) throw notFound;
  const visibility = version.visibility as CaseStudyVisibility;
  if (!(CASE_STUDY_VISIBILITIES as readonly string[]).includes(visibility)) throw notFound;
  if (isEmbed && !mayEmbedCaseStudyVersion(visibility)) throw notFound;
  const role = isEmbed ? null : await roleIn(db, userId, study.workspaceId);
  if (!mayReadCaseStudyVersion(role, visibility)) throw notFound;
  const graphIds = new Set(JSON.parse(version.graphIds) as string[]);
  const capability: TCaseStudyCapability = {
    caseStudyId: study.id,
    versionId: version.id,
    number: version.number,
    visibility,
    graphIds,
  };
  return { version, capability, role };
}

/** Throws NOT_FOUND unless the capability covers the graph (a graph outside the version is as absent as none). */
export function assertCapabilityCoversGraph(capability: TCaseStudyCapability, graphId: string): void {
  if (!capability.graphIds.has(graphId)) throw new AppError("NOT_FOUND", "Graph not found");
}
