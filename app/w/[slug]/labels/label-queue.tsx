"use client";
// One feature at a time (label.queue): its labels, where it fired in the workspace's graphs, and the keyboard
// (1–9 vote up that label, n new label, s skip, → next). Skipped and done features are kept for this visit.
import { useQuery, useQueryClient, useMutation } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { featurePagePath } from "@circuitboard/shared/graph-format";
import { LabelList } from "~/app/_components/labels/label-list";
import { useTRPC } from "~/app/_trpc/react";

export function LabelQueue({ slug }: { slug: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [skip, setSkip] = useState<string[]>([]);
  const item = useQuery(trpc.label.queue.queryOptions({ slug, skip }));
  const contributions = useQuery(trpc.label.contributions.queryOptions({ slug }));
  const labels = useQuery({
    ...trpc.label.list.queryOptions({
      feature: item.data?.feature ?? { modelId: "", transcoderSetId: "-", layer: 0, index: 0 },
    }),
    enabled: !!item.data,
  });
  const vote = useMutation(trpc.label.vote.mutationOptions());
  const current = item.data ?? null;

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const target = e.target as HTMLElement | null;
      if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.isContentEditable)) return;
      if (!current || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === "s" || e.key === "ArrowRight") {
        e.preventDefault();
        setSkip((s) => [...s, current.key]);
      } else if (e.key === "n") {
        e.preventDefault();
        document.querySelector<HTMLInputElement>('[data-testid="propose-label-input"]')?.focus();
      } else if (/^[1-9]$/.test(e.key)) {
        const visible = (labels.data?.labels ?? []).filter((l) => l.hiddenAt === null);
        const chosen = visible[Number(e.key) - 1];
        if (!chosen) return;
        e.preventDefault();
        void vote.mutateAsync({ labelId: chosen.id, value: 1 }).then(async () => {
          await queryClient.invalidateQueries({ queryKey: trpc.label.list.queryKey() });
          await queryClient.invalidateQueries({ queryKey: trpc.label.contributions.queryKey({ slug }) });
        });
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [current, labels.data, vote, queryClient, trpc, slug]);

  return (
    <div style={{ display: "grid", gap: "1rem", gridTemplateColumns: "minmax(0, 3fr) minmax(0, 1fr)" }}>
      <div data-testid="label-queue">
        {item.isLoading && <p className="muted">Finding the next feature…</p>}
        {item.data === null && <p className="muted">Nothing left to label: every feature here is settled.</p>}
        {current && (
          <article data-testid="queue-item" data-feature-key={current.key}>
            <h2>
              <a href={featurePagePath(current.feature)}>
                Feature L{current.feature.layer} #{current.feature.index}
              </a>{" "}
              <span className="muted" style={{ fontSize: ".85rem", fontWeight: "normal" }}>
                importance {current.importance.toFixed(3)} (summed over its occurrences)
              </span>
            </h2>
            <LabelList
              feature={current.feature}
              slug={slug}
              voteKeys
              onChanged={() =>
                void queryClient.invalidateQueries({ queryKey: trpc.label.contributions.queryKey({ slug }) })
              }
            />
            <h3 style={{ fontSize: ".95rem" }}>Where it fired</h3>
            <ul style={{ fontSize: ".88rem" }}>
              {current.contexts.map((c) => (
                <li key={`${c.graphId}-${c.ctxIdx}`}>
                  <a href={`/g/${encodeURIComponent(c.graphId)}?clickedId=${encodeURIComponent(c.nodeId)}`}>
                    {c.graphTitle}
                  </a>
                  : <span className="muted">{c.before}</span>
                  <mark>{c.token}</mark>
                  <span className="muted">{c.after}</span>
                </li>
              ))}
            </ul>
            <button type="button" className="secondary" onClick={() => setSkip((s) => [...s, current.key])}>
              Skip (s)
            </button>{" "}
            <button type="button" onClick={() => setSkip((s) => [...s, current.key])}>
              Next (→)
            </button>
          </article>
        )}
      </div>
      <aside data-testid="label-contributions">
        <h2 style={{ fontSize: "1rem" }}>Contributions</h2>
        {contributions.data && (
          <>
            <p>
              You: {contributions.data.mine.labels} labels, {contributions.data.mine.votes} votes
            </p>
            <ol>
              {contributions.data.leaderboard.map((r) => (
                <li key={r.userId}>
                  {r.name}: {r.labels} labels, {r.votes} votes
                </li>
              ))}
            </ol>
          </>
        )}
      </aside>
    </div>
  );
}
