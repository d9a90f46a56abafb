"use client";
/** The graph's own settings (editors): title, description, visibility, delete; and its download link for everyone. */
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import type { GraphVisibility } from "~/server/authz/policy";
import { useAction } from "~/app/_components/use-action";
import { useTRPC } from "~/app/_trpc/react";

export interface GraphSettingsProps {
  graphId: string;
  title: string;
  description: string;
  visibility: GraphVisibility;
  workspaceSlug: string;
  subgraphId: string | null;
  canEdit: boolean;
}

export function GraphSettings(p: GraphSettingsProps) {
  const trpc = useTRPC();
  const router = useRouter();
  const update = useMutation(trpc.graph.update.mutationOptions());
  const remove = useMutation(trpc.graph.delete.mutationOptions());
  const { run, error, isPending } = useAction();
  const download = `/api/graphs/${p.graphId}/export${p.subgraphId ? `?s=${encodeURIComponent(p.subgraphId)}` : ""}`;
  return (
    <div style={{ display: "flex", gap: "1rem", alignItems: "center", flexWrap: "wrap" }}>
      {p.subgraphId && (
        <a href={download} download>
          Download saved subgraph
        </a>
      )}
      {p.canEdit && (
        <details>
          <summary>Graph settings</summary>
          <form
            className="stack"
            aria-label="Graph settings"
            onSubmit={(e) => {
              e.preventDefault();
              const f = new FormData(e.currentTarget);
              void run(() =>
                update.mutateAsync({
                  graphId: p.graphId,
                  title: String(f.get("title")),
                  description: String(f.get("description")),
                  visibility: f.get("visibility") as GraphVisibility,
                }),
              );
            }}
          >
            <label>
              Title
              <input name="title" defaultValue={p.title} required maxLength={200} />
            </label>
            <label>
              Description
              <textarea name="description" defaultValue={p.description} maxLength={5000} rows={3} />
            </label>
            <label>
              Visibility
              <select name="visibility" defaultValue={p.visibility}>
                <option value="private">private (workspace members)</option>
                <option value="unlisted">unlisted (anyone with the link)</option>
                <option value="public">public (listed on Explore)</option>
              </select>
            </label>
            <button type="submit" disabled={isPending}>
              Save settings
            </button>
            <button
              type="button"
              className="danger"
              disabled={isPending}
              onClick={() => {
                if (confirm(`Delete “${p.title}” and its saved subgraphs?`)) {
                  void run(
                    () => remove.mutateAsync({ graphId: p.graphId }),
                    () => router.push(`/w/${p.workspaceSlug}`),
                  );
                }
              }}
            >
              Delete graph
            </button>
            {error && (
              <p role="alert" className="error">
                {error}
              </p>
            )}
          </form>
        </details>
      )}
    </div>
  );
}
