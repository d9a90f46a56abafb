"use client";
// Authoring a case study: title, summary, visibility and the ordered steps (markdown prose + a captured view),
// autosaved as you type; reorder by drag or by the ↑/↓ buttons (the keyboard path); duplicate, delete;
// preview as a reader; publish after a confirmation that lists exactly what becomes readable.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { useTRPC, type RouterOutputs } from "~/app/_trpc/react";

type TDraft = RouterOutputs["caseStudy"]["get"];
type TStep = TDraft["steps"][number];
type TReadable = RouterOutputs["caseStudy"]["publish"]["readable"];

/** Calls `save` once typing pauses; reports "saving" / "saved" / an error. */
function useAutosave<T>(value: T, save: (value: T) => Promise<unknown>, delayMs = 600) {
  const [status, setStatus] = useState<"idle" | "saving" | "saved" | string>("idle");
  const first = useRef(true);
  const saveRef = useRef(save);
  useEffect(() => {
    saveRef.current = save;
  });
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    setStatus("saving");
    const timer = window.setTimeout(() => {
      saveRef.current(value).then(
        () => setStatus("saved"),
        (error: unknown) => setStatus(error instanceof Error ? error.message : String(error)),
      );
    }, delayMs);
    return () => window.clearTimeout(timer);
  }, [value, delayMs]);
  return status;
}

function statusText(status: string): string {
  return status === "idle"
    ? ""
    : status === "saving"
      ? "Saving…"
      : status === "saved"
        ? "Saved"
        : `Not saved: ${status}`;
}

export function NewStudyForm({ slug }: { slug: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(trpc.caseStudy.create.mutationOptions());
  const [title, setTitle] = useState("");
  return (
    <form
      className="inline"
      aria-label="New case study"
      onSubmit={(e) => {
        e.preventDefault();
        void create
          .mutateAsync({ slug, title: title.trim() })
          .then((row) => router.push(`/w/${slug}/studies/${row.id}`));
      }}
    >
      <label>
        Title
        <input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} required />
      </label>
      <button type="submit" disabled={create.isPending || !title.trim()}>
        New case study
      </button>
      {create.error && <p className="error">{create.error.message}</p>}
    </form>
  );
}

function StepCard(p: {
  step: TStep;
  index: number;
  count: number;
  canEdit: boolean;
  onMove: (toIndex: number) => void;
  onDuplicate: () => void;
  onDelete: () => void;
  onDropAt: (stepId: string, toIndex: number) => void;
}) {
  const trpc = useTRPC();
  const update = useMutation(trpc.caseStudy.updateStep.mutationOptions());
  const [prose, setProse] = useState(p.step.prose);
  const status = useAutosave(prose, (value) => update.mutateAsync({ stepId: p.step.id, prose: value }));
  const { view } = p.step;
  return (
    <li
      data-testid="study-step"
      draggable={p.canEdit}
      onDragStart={(e) => e.dataTransfer.setData("text/x-step", p.step.id)}
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        e.preventDefault();
        const id = e.dataTransfer.getData("text/x-step");
        if (id && id !== p.step.id) p.onDropAt(id, p.index);
      }}
      style={{
        border: "1px solid #ddd",
        borderRadius: 6,
        padding: "0.6rem",
        marginBottom: "0.6rem",
        listStyle: "none",
      }}
    >
      <p className="muted" style={{ margin: 0 }}>
        <strong>Step {p.index + 1}</strong> ·{" "}
        {p.step.graphId ? (
          <a href={`/g/${encodeURIComponent(p.step.graphId)}`}>{p.step.graphTitle ?? "(deleted graph)"}</a>
        ) : (
          "prose only"
        )}
        {p.step.graphId &&
          ` · ${view.state.pinnedIds.length} pinned${view.state.clickedId ? `, ${view.state.clickedId} selected` : ""}${view.camera ? ", camera" : ""}`}
      </p>
      {p.canEdit ? (
        <label>
          Prose (markdown)
          <textarea
            rows={4}
            value={prose}
            maxLength={20000}
            onChange={(e) => setProse(e.target.value)}
            aria-label={`Prose of step ${p.index + 1}`}
          />
        </label>
      ) : null}
      <div className="markdown" dangerouslySetInnerHTML={{ __html: p.step.proseHtml }} />
      {p.canEdit && (
        <div className="inline">
          <button type="button" className="secondary" disabled={p.index === 0} onClick={() => p.onMove(p.index - 1)}>
            ↑ Up
          </button>
          <button
            type="button"
            className="secondary"
            disabled={p.index === p.count - 1}
            onClick={() => p.onMove(p.index + 1)}
          >
            ↓ Down
          </button>
          <button type="button" className="secondary" onClick={p.onDuplicate}>
            Duplicate
          </button>
          <button type="button" className="secondary" onClick={p.onDelete}>
            Delete
          </button>
          <span className="muted" role="status" data-testid="step-autosave">
            {statusText(status)}
          </span>
        </div>
      )}
    </li>
  );
}

function PublishPanel({ draft }: { draft: TDraft }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const publish = useMutation(trpc.caseStudy.publish.mutationOptions());
  const [readable, setReadable] = useState<TReadable | null>(null);
  const [published, setPublished] = useState<number | null>(null);
  const [origin, setOrigin] = useState("");
  useEffect(() => setOrigin(window.location.origin), []);
  const versions = useQuery(trpc.caseStudy.versions.queryOptions({ caseStudyId: draft.id }));
  const link = `${origin}/s/${draft.slug}`;
  const latest = versions.data?.[0];
  const embed = `<iframe src="${origin}/embed/s/${draft.slug}" width="100%" height="700" style="border:0" loading="lazy" title="${draft.title.replace(/"/g, "&quot;")}"></iframe>`;
  return (
    <section aria-label="Publish">
      <h2>Publish</h2>
      {draft.canEdit && (
        <button
          type="button"
          onClick={() => void publish.mutateAsync({ caseStudyId: draft.id }).then((r) => setReadable(r.readable))}
          disabled={publish.isPending}
        >
          Publish…
        </button>
      )}
      {publish.error && <p className="error">{publish.error.message}</p>}
      {readable && (
        <div data-testid="publish-confirmation" role="dialog" aria-label="Confirm publication">
          <p>
            Publishing as <strong>{readable.visibility}</strong> makes readable, to{" "}
            {readable.visibility === "workspace" ? "the workspace's members" : "anyone with the link"}, exactly:
          </p>
          <ul>
            {readable.graphs.map((g) => {
              const labels = readable.labels.find((l) => l.graphId === g.id)?.labels ?? {};
              return (
                <li key={g.id}>
                  the body of the graph “{g.title}” (its own visibility stays {g.visibility}), with{" "}
                  <details style={{ display: "inline" }}>
                    <summary>{Object.keys(labels).length} labels</summary>
                    <ul>
                      {Object.entries(labels)
                        .slice(0, 200)
                        .map(([key, label]) => (
                          <li key={key}>
                            {key}: {label}
                          </li>
                        ))}
                    </ul>
                  </details>
                </li>
              );
            })}
          </ul>
          <p className="muted">Nothing else: no comments, no other graphs, no member list.</p>
          <button
            type="button"
            onClick={() =>
              void publish.mutateAsync({ caseStudyId: draft.id, isConfirmed: true }).then(async (r) => {
                setReadable(null);
                setPublished(r.isPublished ? r.number : null);
                await queryClient.invalidateQueries({ queryKey: trpc.caseStudy.versions.queryKey() });
                await queryClient.invalidateQueries({ queryKey: trpc.caseStudy.get.queryKey() });
              })
            }
          >
            Confirm and publish
          </button>{" "}
          <button type="button" className="secondary" onClick={() => setReadable(null)}>
            Cancel
          </button>
        </div>
      )}
      {published !== null && <p role="status">Published version {published}.</p>}
      {latest && (
        <>
          <label>
            Link
            <input readOnly value={link} data-testid="study-link" onFocus={(e) => e.target.select()} />
          </label>
          {latest.visibility !== "workspace" && (
            <label>
              Embed (copy into your page)
              <textarea
                readOnly
                rows={3}
                value={embed}
                data-testid="study-embed-snippet"
                onFocus={(e) => e.target.select()}
              />
            </label>
          )}
          <h3>Versions</h3>
          <ul>
            {versions.data!.map((v) => (
              <li key={v.number}>
                <a href={`/s/${draft.slug}/v/${v.number}`}>v{v.number}</a> · {v.visibility} ·{" "}
                {new Date(v.publishedAt).toLocaleString()} by {v.publishedBy}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function DraftFields({ draft }: { draft: TDraft }) {
  const trpc = useTRPC();
  const update = useMutation(trpc.caseStudy.update.mutationOptions());
  const [fields, setFields] = useState({ title: draft.title, summary: draft.summary, visibility: draft.visibility });
  const status = useAutosave(fields, (value) =>
    update.mutateAsync({
      caseStudyId: draft.id,
      title: value.title.trim() || draft.title,
      summary: value.summary,
      visibility: value.visibility as "workspace" | "unlisted" | "public",
    }),
  );
  if (!draft.canEdit) return <h1>{draft.title}</h1>;
  return (
    <div>
      <label>
        Title
        <input value={fields.title} maxLength={200} onChange={(e) => setFields({ ...fields, title: e.target.value })} />
      </label>
      <label>
        Summary
        <textarea
          rows={2}
          maxLength={2000}
          value={fields.summary}
          onChange={(e) => setFields({ ...fields, summary: e.target.value })}
        />
      </label>
      <label>
        Visibility when published
        <select value={fields.visibility} onChange={(e) => setFields({ ...fields, visibility: e.target.value })}>
          <option value="workspace">Workspace members</option>
          <option value="unlisted">Unlisted: anyone with the link</option>
          <option value="public">Public: listed on Explore</option>
        </select>
      </label>
      <span className="muted" role="status" data-testid="autosave">
        {statusText(status)}
      </span>
    </div>
  );
}

export function StudyEditor({ caseStudyId, slug }: { caseStudyId: string; slug: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const draft = useQuery(trpc.caseStudy.get.queryOptions({ caseStudyId }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.caseStudy.get.queryKey({ caseStudyId }) });
  const move = useMutation(trpc.caseStudy.moveStep.mutationOptions({ onSuccess: refresh }));
  const duplicate = useMutation(trpc.caseStudy.duplicateStep.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.caseStudy.deleteStep.mutationOptions({ onSuccess: refresh }));
  const add = useMutation(trpc.caseStudy.addStep.mutationOptions({ onSuccess: refresh }));
  if (draft.error) return <p className="error">{draft.error.message}</p>;
  if (!draft.data) return <p className="muted">Loading…</p>;
  const d = draft.data;
  return (
    <div data-testid="study-editor">
      <DraftFields key={d.id} draft={d} />
      <p>
        <a href={`/w/${slug}/studies/${d.id}/preview`}>Preview as a reader</a>
        {d.latestVersion && (
          <>
            {" · "}
            <a href={`/s/${d.slug}`}>Published v{d.latestVersion.number}</a>
            {d.isDraftDirty ? " (the draft has unpublished edits)" : ""}
          </>
        )}
      </p>
      <h2>Steps</h2>
      <p className="muted">
        Add a step from a graph: open it, set up the view, and use “Capture for a case study” in its toolbar.
      </p>
      <ol style={{ padding: 0 }} data-testid="study-steps">
        {d.steps.map((step, index) => (
          <StepCard
            key={`${step.id}:${step.position}`}
            step={step}
            index={index}
            count={d.steps.length}
            canEdit={d.canEdit}
            onMove={(toIndex) => move.mutate({ stepId: step.id, toIndex })}
            onDropAt={(stepId, toIndex) => move.mutate({ stepId, toIndex })}
            onDuplicate={() => duplicate.mutate({ stepId: step.id })}
            onDelete={() => remove.mutate({ stepId: step.id })}
          />
        ))}
      </ol>
      {d.canEdit && (
        <button type="button" className="secondary" onClick={() => add.mutate({ caseStudyId: d.id, prose: "" })}>
          Add a prose-only step
        </button>
      )}
      <PublishPanel draft={d} />
    </div>
  );
}
