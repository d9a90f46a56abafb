/**
 * One handler per job kind the worker runs: its payload schema (checked at claim, so a payload this worker
 * cannot read fails as UNSUPPORTED), its phase plan for progress, and run(), which returns the result in
 * the form JOB_KINDS names for the kind (a graph file, a JSON result, or blob bytes).
 */
import type { z } from "zod";
import type { JobKind } from "@circuitboard/shared/job-payload";
import type { LoadedWorkerModel } from "../generate-graph";
import type { PhasePlan } from "./progress-reporter";

export interface JobContext {
  jobId: string;
  /** The model id this worker announced for the job. */
  modelId: string;
  loaded: LoadedWorkerModel;
  /** Aborted when the app cancels or re-assigns the job, or the worker's grace period ends. */
  signal: AbortSignal;
  report(phase: string, done: number, total: number): void;
  log(line: string): void;
  /**
   * Sends one part of a multi-part result (a dashboards layer) before completion, each at most
   * `maxPartBytes` (the app's upload limit, told at claim).
   */
  uploadPart(name: string, body: Uint8Array): Promise<void>;
  maxPartBytes: number;
}

export interface JobOutput {
  body: string | Uint8Array;
  contentType: string;
}

export interface JobHandler<S extends z.ZodType = z.ZodType> {
  kind: JobKind;
  schema: S;
  phasePlan: PhasePlan;
  /**
   * A quick, interactive kind (the preview): no progress channel and debug-level logs, so answering it costs
   * one claim and one upload, nothing more.
   */
  isQuick?: boolean;
  run(payload: z.infer<S>, ctx: JobContext): Promise<JobOutput>;
}

/** Throws the abort reason when the job was cancelled; handlers call it between steps. */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason));
}
