"use client";
// A feature's labels with their votes, vote buttons and a "Propose label" input (tRPC label.*). Shared by the
// viewer's feature panel, the feature page and the label queue. Labels are plain text: rendered as React text,
// never as HTML.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "~/app/_trpc/react";

export interface TFeatureRef {
  modelId: string;
  transcoderSetId: string;
  layer: number;
  index: number;
}

interface TLabelRow {
  id: string;
  text: string;
  workspaceId: string | null;
  source: string;
  author: { name: string };
  createdAt: Date | string;
  hiddenAt: Date | string | null;
  up: number;
  down: number;
  myVote: number;
  canHide?: boolean;
}

export function LabelList({
  feature,
  slug,
  isShowingHistory = false,
  onChanged,
  voteKeys = false,
  proposal = null,
}: {
  feature: TFeatureRef;
  /** The workspace whose scope new labels go to; null: the public scope. */
  slug: string | null;
  isShowingHistory?: boolean;
  onChanged?: () => void;
  /** Number each label (the queue's keys 1–9). */
  voteKeys?: boolean;
  /** A label to offer as a one-click proposal (the view's override of this feature: "Propose as label"). */
  proposal?: string | null;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.label.list.queryOptions({ feature }));
  const vote = useMutation(trpc.label.vote.mutationOptions());
  const propose = useMutation(trpc.label.propose.mutationOptions());
  const hide = useMutation(trpc.label.hide.mutationOptions());
  const [draft, setDraft] = useState("");
  const [error, setError] = useState<string | null>(null);

  async function refresh() {
    await queryClient.invalidateQueries({ queryKey: trpc.label.list.queryKey({ feature }) });
    await queryClient.invalidateQueries({ queryKey: trpc.label.shownForGraph.queryKey() });
    onChanged?.();
  }
  function submit(text: string) {
    setError(null);
    propose
      .mutateAsync({ feature, text, slug })
      .then(async () => {
        setDraft("");
        await refresh();
      })
      .catch((err: unknown) => setError((err as Error).message));
  }

  async function cast(labelId: string, value: -1 | 0 | 1) {
    setError(null);
    try {
      await vote.mutateAsync({ labelId, value });
      await refresh();
    } catch (e) {
      setError((e as Error).message);
    }
  }

  const labels = ((list.data?.labels ?? []) as TLabelRow[]).filter((l) => isShowingHistory || l.hiddenAt === null);
  const scopeName = (id: string | null) =>
    id === null ? "public" : (list.data?.workspaces.find((w) => w.id === id)?.name ?? "workspace");
  return (
    <div data-testid="label-list">
      {list.isLoading && <p className="muted">Loading labels…</p>}
      {list.data && labels.length === 0 && <p className="muted">No labels yet.</p>}
      <ol style={{ listStyle: "none", padding: 0, margin: 0, display: "grid", gap: ".3rem" }}>
        {labels.map((l, i) => (
          <li key={l.id} data-testid="label-item" data-label-id={l.id} style={{ opacity: l.hiddenAt ? 0.55 : 1 }}>
            {voteKeys && i < 9 && <kbd style={{ marginRight: ".3rem" }}>{i + 1}</kbd>}
            <span data-testid="label-text">{l.text}</span>{" "}
            <span className="muted" style={{ fontSize: ".8rem" }}>
              {scopeName(l.workspaceId)} · {l.source === "import" ? "from a file" : l.author.name} ·{" "}
              {new Date(l.createdAt).toLocaleDateString()}
              {l.hiddenAt ? " · hidden" : ""}
            </span>{" "}
            <button
              type="button"
              className={l.myVote === 1 ? undefined : "secondary"}
              aria-pressed={l.myVote === 1}
              aria-label={`Vote up “${l.text}”`}
              data-testid="vote-up"
              onClick={() => void cast(l.id, l.myVote === 1 ? 0 : 1)}
            >
              ▲ <span data-testid="up-count">{l.up}</span>
            </button>{" "}
            <button
              type="button"
              className={l.myVote === -1 ? undefined : "secondary"}
              aria-pressed={l.myVote === -1}
              aria-label={`Vote down “${l.text}”`}
              data-testid="vote-down"
              onClick={() => void cast(l.id, l.myVote === -1 ? 0 : -1)}
            >
              ▼ {l.down}
            </button>
            {l.canHide && (
              <>
                {" "}
                <button
                  type="button"
                  className="secondary"
                  data-testid="hide-label"
                  onClick={() => {
                    setError(null);
                    hide
                      .mutateAsync({ labelId: l.id, isHidden: l.hiddenAt === null })
                      .then(refresh)
                      .catch((err: unknown) => setError((err as Error).message));
                  }}
                >
                  {l.hiddenAt === null ? "Hide" : "Show"}
                </button>
              </>
            )}
          </li>
        ))}
      </ol>
      <form
        style={{ display: "flex", gap: ".3rem", marginTop: ".4rem" }}
        onSubmit={(e) => {
          e.preventDefault();
          submit(draft);
        }}
      >
        <label className="sr-only" htmlFor={`propose-${feature.layer}-${feature.index}`}>
          Propose label
        </label>
        <input
          id={`propose-${feature.layer}-${feature.index}`}
          data-testid="propose-label-input"
          placeholder="Propose label"
          maxLength={200}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
        />
        <button type="submit" disabled={draft.trim() === "" || propose.isPending}>
          Propose label
        </button>
      </form>
      {proposal && proposal.trim() !== "" && !labels.some((l) => l.text === proposal.trim()) && (
        <button
          type="button"
          className="secondary"
          style={{ marginTop: ".3rem" }}
          disabled={propose.isPending}
          onClick={() => submit(proposal)}
        >
          Propose “{proposal}” as label
        </button>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </div>
  );
}
