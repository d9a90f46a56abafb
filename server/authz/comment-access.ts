/**
 * Who may read or write the discussion on a graph. Comments are visible to the graph's workspace members
 * only, whatever the graph's visibility: a public graph's readers see none (publishing commentary is what
 * case studies are for). The answers, in order:
 *   signed out                                        UNAUTHORIZED
 *   graph missing, or not readable by the caller       NOT_FOUND (a private graph does not exist for outsiders)
 *   readable graph, caller not a member                FORBIDDEN ("members only")
 *   member below the action's minimum role             FORBIDDEN (policy.ts WORKSPACE_ACTIONS)
 * Threads and comments by id resolve to their graph (or, for anchors that span graphs, their workspace)
 * and then pass through the same check, so an outsider cannot reach a comment even by its id.
 */
import type { Db } from "../db/client";
import { AppError } from "../errors";
import {
  assertMayPerform,
  GRAPH_VISIBILITIES,
  mayReadGraph,
  type GraphVisibility,
  type WorkspaceAction,
} from "./policy";
import { isRole, type Role } from "./roles";

export type CommentAction = Extract<
  WorkspaceAction,
  "comment.read" | "comment.create" | "comment.resolve" | "comment.moderate"
>;

export interface DiscussionAccess {
  readonly workspaceId: string;
  readonly graph: { readonly id: string; readonly title: string } | null;
  readonly role: Role;
}

function roleOf(members: { role: string }[]): Role | null {
  const stored = members[0]?.role ?? null;
  if (stored !== null && !isRole(stored)) throw new Error(`corrupt role "${stored}" in membership`);
  return stored;
}

export async function authorizeGraphDiscussion(
  db: Db,
  userId: string | null,
  ref: { graphId: string } | { workspaceId: string },
  action: CommentAction,
): Promise<DiscussionAccess> {
  if (!userId) throw new AppError("UNAUTHORIZED", "Sign in first");
  if ("workspaceId" in ref) {
    const workspace = await db.workspace.findUnique({
      where: { id: ref.workspaceId },
      select: { id: true, members: { where: { userId }, select: { role: true } } },
    });
    const role = workspace ? roleOf(workspace.members) : null;
    assertMayPerform(role, action);
    return { workspaceId: ref.workspaceId, graph: null, role: role! };
  }
  const graph = await db.graph.findUnique({
    where: { id: ref.graphId },
    select: {
      id: true,
      title: true,
      visibility: true,
      workspaceId: true,
      workspace: { select: { members: { where: { userId }, select: { role: true } } } },
    },
  });
  const role = graph ? roleOf(graph.workspace.members) : null;
  const visibility = (graph?.visibility ?? "private") as GraphVisibility;
  if (!graph || !(GRAPH_VISIBILITIES as readonly string[]).includes(visibility) || !mayReadGraph(role, visibility)) {
    throw new AppError("NOT_FOUND", "Graph not found");
  }
  if (role === null) throw new AppError("FORBIDDEN", "Comments are visible to members of the graph's workspace only");
  assertMayPerform(role, action);
  return { workspaceId: graph.workspaceId, graph: { id: graph.id, title: graph.title }, role };
}
