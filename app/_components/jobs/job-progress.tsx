"use client";
/** A running job's phase, rows of the phase, progress bar and time left, as an accessible status line. */
import type { LiveJob } from "./use-job-progress";

const PHASE_LABELS: Record<string, string> = {
  claimed: "starting",
  starting: "starting",
  tokenizing: "tokenizing",
  forward: "forward pass",
  logits: "logit rows",
  features: "feature rows",
  attribution: "attribution rows",
  pruning: "pruning",
  uploading: "uploading",
  intervening: "intervening",
  generating: "generating",
};

export function phaseLabel(phase: string): string {
  return PHASE_LABELS[phase] ?? phase;
}

function formatSeconds(s: number): string {
  if (s < 1) return "under a second";
  if (s < 90) return `${Math.round(s)} s`;
  return `${Math.round(s / 60)} min`;
}

export function JobProgress({
  job,
  label,
}: {
  job: Pick<LiveJob, "status" | "phase" | "progress" | "progressDone" | "progressTotal" | "etaSeconds">;
  label: string;
}) {
  if (job.status === "queued") return <span role="status">queued</span>;
  return (
    <span role="status" data-phase={job.phase}>
      <span data-testid="job-phase">{phaseLabel(job.phase || "starting")}</span>
      {job.progressTotal > 1 && (
        <span className="muted">
          {" "}
          {job.progressDone}/{job.progressTotal}
        </span>
      )}{" "}
      <progress max={1} value={job.progress} aria-label={label} /> {Math.round(job.progress * 100)}%
      {job.etaSeconds !== null && job.etaSeconds !== undefined && (
        <span className="muted"> · about {formatSeconds(job.etaSeconds)} left</span>
      )}
    </span>
  );
}
