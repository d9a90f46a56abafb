/**
 * Live progress of a running job, posted by the worker on its own throttled channel (not the heartbeat):
 * the phase, rows done of the phase's total, the whole job's fraction done and an estimate of time left.
 */
import { z } from "zod";

export const ZJobProgressSchema = z.object({
  phase: z.string().min(1, "phase: required").max(80, "phase: at most 80 characters"),
  done: z.int().min(0, "done: at least 0").max(1e9),
  total: z.int().min(0, "total: at least 0").max(1e9),
  progress: z.number().min(0, "progress: between 0 and 1").max(1, "progress: between 0 and 1"),
  etaSeconds: z.number().min(0, "etaSeconds: at least 0").max(1e7).nullable(),
  /** Every phase so far, in order, with the seconds since the job started when it began (at most 50). */
  phases: z
    .array(z.tuple([z.string().min(1).max(80), z.number().min(0).max(1e7)]))
    .max(50, "phases: at most 50")
    .default([]),
});
export type TJobProgress = z.input<typeof ZJobProgressSchema>;
