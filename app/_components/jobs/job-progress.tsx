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

type TShownJob = Pick<
  LiveJob,
  "status" | "phase" | "progress" | "progressDone" | "progressTotal" | "etaSeconds" | "phases"
>;

/** The phases so far, each with when it began: "tokenizing 0.0 s → feature rows 0.4 s → pruning 3.9 s". */
export function PhaseTrail({ phases }: { phases: TShownJob["phases"] }) {
  if (phases.length === 0) return null;
  return (
    <ol aria-label="Phases" style={{ display: "inline", padding: 0, margin: 0, listStyle: "none" }}>
      {phases.map(([phase, startedS], i) => (
        <li key={i} data-phase-step={phase} style={{ display: "inline" }} className="muted">
          {i > 0 ? " → " : ""}
          {phaseLabel(phase)} <small>{startedS.toFixed(1)} s</small>
        </li>
      ))}
    </ol>
  );
}

export function JobProgress({ job, label }: { job: TShownJob; label: string }) {
  if (job.status === "queued") return <span role="status">queued</span>;
  const isDone = job.status === "done";
  return (
    <span role="status" data-phase={job.phase}>
      <span data-testid="job-phase">{isDone ? "done" : phaseLabel(job.phase || "starting")}</span>
      {!isDone && job.progressTotal > 1 && (
        <span className="muted">
          {" "}
          {job.progressDone}/{job.progressTotal}
        </span>
      )}{" "}
      <progress max={1} value={isDone ? 1 : job.progress} aria-label={label} />{" "}
      {Math.round((isDone ? 1 : job.progress) * 100)}%
      {!isDone && job.etaSeconds !== null && job.etaSeconds !== undefined && (
        <span className="muted"> · about {formatSeconds(job.etaSeconds)} left</span>
      )}
      <br />
      <PhaseTrail phases={job.phases} />
    </span>
  );
}
