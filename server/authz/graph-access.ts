/**
 * Resolves a graph for a caller (signed in or not) and checks an action against the policy.
 * Reading depends on visibility (policy.ts GRAPH_READERS); everything else is a workspace action.
 * A graph the caller may not read answers NOT_FOUND, exactly like a graph that does not exist.
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

export type GraphAction =
  | "graph.read"
  | Extract<
      WorkspaceAction,
      "graph.update" | "graph.delete" | "subgraph.create" | "subgraph.delete" | "intervention.create"
    >;

export async function authorizeGraph(db: Db, userId: string | null, graphId: string, action: GraphAction) {
  const graph = await db.graph.findUnique({
    where: { id: graphId },
    include: {
      workspace: {
        select: {
          id: true,
          slug: true,
          name: true,
          members: { where: { userId: userId ?? "" }, select: { role: true } },
        },
      },
    },
  });
  const stored = graph?.workspace.members[0]?.role ?? null;
  const role: Role | null = stored !== null && isRole(stored) ? stored : null;
  const visibility = (graph?.visibility ?? "private") as GraphVisibility;
  if (!graph || !(GRAPH_VISIBILITIES as readonly string[]).includes(visibility) || !mayReadGraph(role, visibility)) {
    throw new AppError("NOT_FOUND", "Graph not found");
  }
  if (action !== "graph.read") {
    if (role === null) {
      // Visible to this caller, but writing needs membership.
      throw new AppError(
        userId ? "FORBIDDEN" : "UNAUTHORIZED",
        userId ? "Only members of the graph's workspace can change it" : "Sign in first",
      );
    }
    assertMayPerform(role, action);
  }
  const { workspace, ...row } = graph;
  return {
    graph: { ...row, visibility },
    workspace: { id: workspace.id, slug: workspace.slug, name: workspace.name },
    role,
  };
}
