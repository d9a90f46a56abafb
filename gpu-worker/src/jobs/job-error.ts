/**
 * A job failure with its typed code (JOB_ERROR_CODES): the app retries or not from the code alone.
 * Handlers throw JobError for what they recognise (bad input); toJobError classifies the rest.
 */
import type { JobErrorCode } from "@circuitboard/shared/jobs/job-errors";

export class JobError extends Error {
  constructor(
    readonly code: JobErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "JobError";
  }
}

export function toJobError(e: unknown): JobError {
  if (e instanceof JobError) return e;
  const err = e instanceof Error ? e : new Error(String(e));
  // A typed array or buffer that cannot be allocated is V8's RangeError: the job may fit elsewhere.
  if (err instanceof RangeError && /allocat|Array buffer|Invalid typed array length/i.test(err.message))
    return new JobError("OUT_OF_MEMORY", err.message);
  return new JobError("INTERNAL", err.message);
}
