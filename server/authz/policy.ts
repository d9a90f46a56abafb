/**
 * THE authorization policy: who may do what in a workspace. Every service that reads or writes
 * workspace data asks this module first (via `authorizeWorkspace`); nothing else decides access.
 * Changes here deserve a second reviewer: test/integration/authz/matrix.test.ts checks every tRPC
 * procedure against every role, and must fail when a rule is loosened.
 *
 * Rules:
 *  - A non-member cannot tell that a workspace exists: every action answers NOT_FOUND.
 *  - A member whose role is below the action's minimum gets FORBIDDEN.
 *  - Role changes follow `mayAssignRole`; the last owner can never be removed, demoted, or leave.
 */
import { AppError } from "../errors";
import { atLeast, roleRank, type Role } from "./roles";

/** The minimum role for each workspace action. */
export const WORKSPACE_ACTIONS = {
  "workspace.read": "viewer",
  "workspace.rename": "admin",
  "workspace.delete": "owner",
  "member.list": "viewer",
  "member.changeRole": "admin",
  "member.remove": "admin",
  "invitation.list": "admin",
  "invitation.create": "admin",
  "invitation.revoke": "admin",
  "graph.list": "viewer",
  "graph.create": "editor",
  "graph.update": "editor",
  "graph.delete": "editor",
  "subgraph.create": "editor",
  "subgraph.delete": "editor",
  // Runs a job (a model forward pass on a worker) and saves its result with the graph.
  "intervention.create": "editor",
  // Comments are the workspace's own discussion: members only, whatever the graph's visibility.
  "comment.read": "viewer",
  "comment.create": "viewer", // reading and discussing is what a viewer does; authors edit their own
  "comment.resolve": "editor", // resolve / reopen any thread
  "comment.moderate": "admin", // delete anyone's comment
  "activity.read": "viewer",
  // Feature labels in the workspace's scope (server/authz/label-access.ts): members read, propose and vote;
  // admins hide. The public scope is every signed-in user's, moderated by site admins.
  "label.read": "viewer",
  "label.propose": "viewer",
  "label.vote": "viewer",
  "label.hide": "admin",
  // Case studies: members read the drafts; editors write and publish them. Readers of a PUBLISHED version
  // are not decided here but by its capability (case-study-access.ts, CASE_STUDY_READERS below).
  "caseStudy.read": "viewer",
  "caseStudy.edit": "editor",
  "caseStudy.publish": "editor",
} as const satisfies Record<string, Role>;

export type WorkspaceAction = keyof typeof WORKSPACE_ACTIONS;

export const GRAPH_VISIBILITIES = ["private", "unlisted", "public"] as const;
export type GraphVisibility = (typeof GRAPH_VISIBILITIES)[number];

/**
 * Who may READ a graph beyond its workspace's members (members always may). Writing a graph is a
 * workspace action (graph.update, graph.delete, subgraph.*) whatever the visibility.
 */
export const GRAPH_READERS = {
  private: "members",
  unlisted: "anyone with the link", // the graph id is 128 random bits, so the link is the secret
  public: "anyone",
} as const satisfies Record<GraphVisibility, string>;

export const CASE_STUDY_VISIBILITIES = ["workspace", "unlisted", "public"] as const;
export type CaseStudyVisibility = (typeof CASE_STUDY_VISIBILITIES)[number];

/**
 * Who may read a PUBLISHED case-study version (drafts are workspace data: caseStudy.read). Reading one grants
 * a capability scoped to that version: its graphs' bodies and its label snapshot, nothing else of the workspace.
 */
export const CASE_STUDY_READERS = {
  workspace: "members",
  unlisted: "anyone with the link", // the slug ends in 72 random bits
  public: "anyone",
} as const satisfies Record<CaseStudyVisibility, string>;

export function mayReadCaseStudyVersion(role: Role | null, visibility: CaseStudyVisibility): boolean {
  return role !== null || CASE_STUDY_READERS[visibility] !== "members";
}

/** Embeds (cookie-less, framed by any site) show public and unlisted versions only. */
export function mayEmbedCaseStudyVersion(visibility: CaseStudyVisibility): boolean {
  return visibility !== "workspace";
}

export function mayReadGraph(role: Role | null, visibility: GraphVisibility): boolean {
  return role !== null || GRAPH_READERS[visibility] !== "members";
}

export function mayPerform(role: Role | null, action: WorkspaceAction): boolean {
  return role !== null && atLeast(role, WORKSPACE_ACTIONS[action]);
}

/** Throws the error a user in `role` (null: not a member) gets for `action`; returns when allowed. */
export function assertMayPerform(role: Role | null, action: WorkspaceAction): void {
  if (role === null) throw new AppError("NOT_FOUND", "Workspace not found");
  if (!mayPerform(role, action)) {
    throw new AppError(
      "FORBIDDEN",
      `Your role (${role}) cannot ${action.replace(".", ": ")}; it needs ${WORKSPACE_ACTIONS[action]} or higher`,
    );
  }
}

/**
 * May an actor give `target` (currently `from`, or a new invitee when from is null) the role `to`?
 * Admins manage editors and viewers and may invite admins; only owners grant, change or take away the
 * owner and admin roles of others.
 */
export function mayAssignRole(actor: Role, from: Role | null, to: Role): boolean {
  if (actor === "owner") return true;
  if (actor !== "admin") return false;
  const touchesOwner = to === "owner" || from === "owner";
  const demotesAdmin = from === "admin" && roleRank(to) < roleRank("admin");
  return !touchesOwner && !demotesAdmin;
}

/** May an actor remove a member who has role `target`? Admins may remove editors and viewers only. */
export function mayRemoveMember(actor: Role, target: Role): boolean {
  if (actor === "owner") return true;
  return actor === "admin" && roleRank(target) < roleRank("admin");
}
