"use client";
/**
 * Type a prompt (previewed as tokens and the model's next tokens while typing), pick a model, and watch
 * the graph being generated: the job's phase, rows and time left are live (useJobProgress) until it is
 * done, then the graph opens, titled with the prompt unless a title is given. Recent jobs are listed below.
 */
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { JobProgress } from "../../_components/jobs/job-progress";
import { isJobActive, useJobProgress } from "../../_components/jobs/use-job-progress";
import { useAction } from "../../_components/use-action";
import { useTRPC, type RouterOutputs } from "../../_trpc/react";
import { PromptPreview } from "./prompt-preview";

type Job = RouterOutputs["job"]["list"][number];

export function GenerateGraph({ slug, canGenerate }: { slug: string; canGenerate: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const models = useQuery(trpc.job.models.queryOptions());
  const jobs = useQuery({
    ...trpc.job.list.queryOptions({ slug, filters: { limit: 10 } }),
    refetchInterval: (q) => (q.state.data?.some(isJobActive) ? 2000 : false),
  });
  const generate = useMutation(trpc.job.generate.mutationOptions());
  const cancel = useMutation(trpc.job.cancel.mutationOptions());
  const { run, error, isPending } = useAction();
  const [watching, setWatching] = useState<string>();
  const [prompt, setPrompt] = useState("");
  const [modelId, setModelId] = useState("");

  const watched = useJobProgress(watching);
  useEffect(() => {
    if (watched?.status === "done" && watched.graphId) router.push(`/g/${watched.graphId}`);
  }, [watched?.status, watched?.graphId, router]);

  const available = models.data ?? [];
  const chosenModel = modelId || available[0]?.id || "";
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
                  ...(String(f.get("title") ?? "").trim() ? { title: String(f.get("title")) } : {}),
                  params: {
                    maxNLogits: num("maxNLogits"),
                    desiredLogitProb: num("desiredLogitProb"),
                    nodeThreshold: num("nodeThreshold"),
                    edgeThreshold: num("edgeThreshold"),
                    batchSize: num("batchSize"),
                    maxFeatureNodes: num("maxFeatureNodes"),
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
            <textarea
              name="prompt"
              required
              rows={2}
              maxLength={4000}
              placeholder="The opposite of hot is"
              value={prompt}
              onChange={(e) => setPrompt(e.target.value)}
            />
          </label>
          <PromptPreview slug={slug} modelId={chosenModel} prompt={prompt} />
          <label>
            Title
            <input name="title" maxLength={200} placeholder={prompt.trim() ? "the prompt" : "defaults to the prompt"} />
          </label>
          <div style={{ display: "flex", gap: ".75rem", flexWrap: "wrap", alignItems: "end" }}>
            <label>
              Model
              <select
                name="modelId"
                required
                disabled={available.length === 0}
                value={chosenModel}
                onChange={(e) => setModelId(e.target.value)}
              >
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
                  Feature rows
                  <input name="maxFeatureNodes" type="number" min={1} max={100000} defaultValue={7500} />
                </label>
                <label>
                  Batch size
                  <input name="batchSize" type="number" min={1} max={1024} defaultValue={256} />
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
          {watched && (isJobActive(watched) || watched.status === "done") && (
            <p aria-label="Generation progress">
              <JobProgress job={watched} label={`Progress of "${watched.prompt}"`} />
            </p>
          )}
          {watched?.status === "failed" && (
            <p role="alert" className="error">
              The graph could not be generated: {watched.error}
            </p>
          )}
        </form>
      )}
      <p style={{ margin: ".5rem 0 0" }}>
        <a href={`/w/${slug}/jobs`}>Job history →</a>
      </p>
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
              {isJobActive(j) ? (
                <JobProgress job={j} label={`Progress of "${j.prompt}" in the list`} />
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
              {isJobActive(j) && (
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
