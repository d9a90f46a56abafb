/**
 * The live progress channel of one running job: phases report (done, total), this turns them into the
 * job's fraction done (phases weighted by a plan) and an estimate of time left, and posts them, throttled
 * to one post per `intervalMs`, on its own channel (not the heartbeat). A post answered 409 (cancelled,
 * re-assigned) aborts the job's signal, so a cancel reaches the run within about one interval.
 */
import type { TJobProgress } from "@circuitboard/shared/jobs/job-progress";
import { JobLostError, type AppClient } from "./app-client";

/** [start, width] of each phase in the job's 0–1 progress. Unknown phases keep the progress where it is. */
export type PhasePlan = Record<string, [number, number]>;

export const ATTRIBUTE_PHASE_PLAN: PhasePlan = {
  tokenizing: [0, 0.01],
  forward: [0.01, 0.04],
  logits: [0.05, 0.1],
  features: [0.15, 0.7],
  // The engine before per-phase progress reported logit and feature rows as one "attribution" phase.
  attribution: [0.05, 0.8],
  pruning: [0.85, 0.05],
  uploading: [0.9, 0.1],
};

export class ProgressReporter {
  private readonly startedMs = performance.now();
  private latest: TJobProgress = { phase: "starting", done: 0, total: 0, progress: 0, etaSeconds: null, phases: [] };
  private lastPostedMs = -Infinity;
  private isDirty = false;
  private inFlight: Promise<void> | null = null;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly client: AppClient,
    private readonly jobId: string,
    private readonly plan: PhasePlan,
    private readonly abort: AbortController,
    private readonly intervalMs = 500,
    private readonly log: (line: string) => void = () => {},
  ) {
    // Also posts while nothing changes, so a cancel is noticed during a long batch.
    this.timer = setInterval(() => this.flush(true), intervalMs * 2);
  }

  get current(): TJobProgress {
    return this.latest;
  }

  private readonly phases: [string, number][] = [];
  private hasNewPhase = false;

  report(phase: string, done: number, total: number): void {
    const isNewPhase = phase !== this.phases.at(-1)?.[0];
    if (isNewPhase) this.hasNewPhase = true;
    if (isNewPhase && this.phases.length < 50) {
      this.phases.push([phase, Math.round(performance.now() - this.startedMs) / 1000]);
    }
    const span = this.plan[phase];
    const within = total > 0 ? Math.min(1, done / total) : 0;
    const progress = span ? Math.max(this.latest.progress, span[0] + span[1] * within) : this.latest.progress;
    const elapsedS = (performance.now() - this.startedMs) / 1000;
    // Time left from the whole job's rate so far; not shown until a few percent are done (too noisy).
    const etaSeconds = progress > 0.03 ? Math.max(0, (elapsedS * (1 - progress)) / progress) : null;
    this.latest = { phase, done, total, progress: Math.min(0.999, progress), etaSeconds, phases: [...this.phases] };
    this.isDirty = true;
    // A new phase goes out at once (no throttle): short phases are shown too, and the trail names them all.
    if (isNewPhase || performance.now() - this.lastPostedMs >= this.intervalMs) this.flush(false);
  }

  private flush(isKeepalive: boolean): void {
    if (this.inFlight || (!this.isDirty && !isKeepalive) || this.abort.signal.aborted) return;
    this.isDirty = false;
    this.hasNewPhase = false;
    this.lastPostedMs = performance.now();
    this.inFlight = this.client
      .progress(this.jobId, this.latest)
      .catch((e: unknown) => {
        if (e instanceof JobLostError) this.abort.abort(e);
        else this.log(`progress post failed: ${(e as Error).message}`); // the next one may pass
      })
      .finally(() => {
        this.inFlight = null;
        if (this.hasNewPhase) this.flush(false); // a phase began while this post was out
      });
  }

  /** Stops the timer and posts what is still pending (the last phase and rows reach the app). */
  async close(): Promise<void> {
    clearInterval(this.timer);
    while (this.inFlight) await this.inFlight;
    if (this.isDirty) {
      this.flush(false);
      while (this.inFlight) await this.inFlight;
    }
  }
}
