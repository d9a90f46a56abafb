"use client";
/**
 * Type a prompt, pick a model, and watch the graph being generated: the job's phase and progress are
 * polled once a second until it is done, then the graph opens. Jobs of the workspace are listed below.
 */
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { useAction } from "../../_components/use-action";
import { useTRPC, type RouterOutputs } from "../../_trpc/react";

type Job = RouterOutputs["job"]["list"][number];

export function GenerateGraph({ slug, canGenerate }: { slug: string; canGenerate: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const models = useQuery(trpc.job.models.queryOptions());
  const jobs = useQuery({
    ...trpc.job.list.queryOptions({ slug }),
    refetchInterval: (q) => (q.state.data?.some(isActive) ? 1000 : false),
  });
  const generate = useMutation(trpc.job.generate.mutationOptions());
  const cancel = useMutation(trpc.job.cancel.mutationOptions());
  const { run, error, isPending } = useAction();
  const [watching, setWatching] = useState<string>();

  const watched = jobs.data?.find((j) => j.id === watching);
  useEffect(() => {
    if (watched?.status === "done" && watched.graphId) router.push(`/g/${watched.graphId}`);
  }, [watched?.status, watched?.graphId, router]);

  const available = models.data ?? [];
  return (
    <section className="card" aria-label="Generate a graph">
      {canGenerate && (
        <form
          className="stack"
          style={{ maxWidth: "none" }}
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            const num = (name: string) => Number(f.get(name));
            void run(
              () =>
                generate.mutateAsync({
                  slug,
                  modelId: String(f.get("modelId")),
                  prompt: String(f.get("prompt")),
                  params: {
                    maxNLogits: num("maxNLogits"),
                    desiredLogitProb: num("desiredLogitProb"),
                    nodeThreshold: num("nodeThreshold"),
                    edgeThreshold: num("edgeThreshold"),
                  },
                }),
              (job) => {
                setWatching(job.id);
                void jobs.refetch();
              },
            );
          }}
        >
          <label>
            Prompt
            <textarea name="prompt" required rows={2} maxLength={4000} placeholder="The opposite of hot is" />
          </label>
          <div style={{ display: "flex", gap: ".75rem", flexWrap: "wrap", alignItems: "end" }}>
            <label>
              Model
              <select name="modelId" required disabled={available.length === 0}>
                {available.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.id}
                    {m.description ? ` — ${m.description}` : ""}
                  </option>
                ))}
              </select>
            </label>
            <details>
              <summary>Settings</summary>
              <div style={{ display: "flex", gap: ".5rem", flexWrap: "wrap" }}>
                <label>
                  Max logits
                  <input name="maxNLogits" type="number" min={1} max={50} defaultValue={10} />
                </label>
                <label>
                  Logit probability mass
                  <input name="desiredLogitProb" type="number" min={0.01} max={0.999} step={0.01} defaultValue={0.95} />
                </label>
                <label>
                  Node threshold
                  <input name="nodeThreshold" type="number" min={0} max={1} step={0.01} defaultValue={0.8} />
                </label>
                <label>
                  Edge threshold
                  <input name="edgeThreshold" type="number" min={0} max={1} step={0.01} defaultValue={0.98} />
                </label>
              </div>
            </details>
            <button type="submit" disabled={isPending || available.length === 0}>
              Generate graph
            </button>
          </div>
          {models.isSuccess && available.length === 0 && (
            <p className="muted">
              No GPU worker is connected right now, so graphs cannot be generated. `npm start` runs one with the demo
              model.
            </p>
          )}
          {error && (
            <p role="alert" className="error">
              {error}
            </p>
          )}
        </form>
      )}
      {(jobs.data?.length ?? 0) > 0 && (
        <JobList
          jobs={jobs.data!}
          onCancel={(jobId) =>
            void run(
              () => cancel.mutateAsync({ jobId }),
              () => void jobs.refetch(),
            )
          }
        />
      )}
    </section>
  );
}

function isActive(j: Job) {
  return j.status === "queued" || j.status === "running";
}

function JobList({ jobs, onCancel }: { jobs: Job[]; onCancel: (id: string) => void }) {
  return (
    <table aria-label="Generation jobs" style={{ marginTop: "1rem" }}>
      <thead>
        <tr>
          <th>Prompt</th>
          <th>Model</th>
          <th>Status</th>
          <th>
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {jobs.map((j) => (
          <tr key={j.id}>
            <td style={{ maxWidth: 320, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }}>
              {j.prompt}
            </td>
            <td>{j.modelId}</td>
            <td>
              {j.status === "running" ? (
                <span role="status">
                  {j.phase || "running"}{" "}
                  <progress max={1} value={j.progress} aria-label={`Progress of "${j.prompt}"`} />{" "}
                  {Math.round(j.progress * 100)}%
                </span>
              ) : j.status === "done" && j.graphId ? (
                <a href={`/g/${j.graphId}`}>done — open graph</a>
              ) : (
                <span className={j.status === "failed" ? "error" : undefined} title={j.error ?? undefined}>
                  {j.status}
                  {j.status === "failed" && j.error ? `: ${j.error}` : ""}
                </span>
              )}
            </td>
            <td>
              {isActive(j) && (
                <button type="button" className="secondary" onClick={() => onCancel(j.id)}>
                  Cancel
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
