"use client";
// An activity list (a workspace's, or "for you"), refreshed live when the workspace topic says something
// happened. Items come from the live channel's event table (server/services/activity.ts).
import Link from "next/link";
import type { RouterOutputs } from "../_trpc/react";

export type TActivityItem = RouterOutputs["activity"]["forYou"]["items"][number];

function describe(item: TActivityItem): string {
  const where = item.graphTitle ? `“${item.graphTitle}”` : "a deleted graph";
  const on =
    item.anchor?.kind === "node"
      ? `node ${item.anchor.nodeId} of ${where}`
      : item.anchor?.kind === "supernode"
        ? `supernode “${item.anchor.label}” of ${where}`
        : item.anchor?.kind === "subgraph"
          ? `a saved subgraph of ${where}`
          : where;
  switch (item.type) {
    case "graph.imported":
      return `imported ${where}`;
    case "graph.generated":
      return `generated ${where}`;
    case "comment.created":
      return `commented on ${on}`;
    case "thread.resolved":
      return `resolved a thread on ${on}`;
    case "thread.reopened":
      return `reopened a thread on ${on}`;
    case "label.proposed":
      return "proposed a feature label";
    case "casestudy.published":
      return `published the case study “${item.caseStudyTitle ?? "(deleted)"}”`;
    default:
      return item.type;
  }
}

export function ActivityFeed({ items, isShowingWorkspace }: { items: TActivityItem[]; isShowingWorkspace: boolean }) {
  if (items.length === 0) return <p className="muted">No activity yet.</p>;
  return (
    <ul style={{ listStyle: "none", padding: 0, display: "grid", gap: "0.45rem" }} data-testid="activity">
      {items.map((item) => (
        <li key={item.id} data-testid="activity-item" data-type={item.type}>
          <strong>{item.actorName ?? "Someone"}</strong>{" "}
          {item.href ? <Link href={item.href}>{describe(item)}</Link> : describe(item)}
          <span className="muted">
            {isShowingWorkspace && item.workspace ? ` · ${item.workspace.name}` : ""} ·{" "}
            {new Date(item.createdAt).toLocaleString()}
          </span>
          {item.excerpt && (
            <div className="muted" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
              {item.excerpt}
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}
