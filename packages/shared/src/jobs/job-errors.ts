/**
 * Why a job failed, as the worker reports it: the app decides whether to retry from the code alone,
 * never from the message text (STYLE.md "typed codes").
 */
import { z } from "zod";

export const JOB_ERROR_CODES = {
  BAD_INPUT: { isRetryable: false, countsAttempt: true }, // the payload cannot work anywhere (prompt too long, bad feature)
  UNSUPPORTED: { isRetryable: false, countsAttempt: true }, // kind, payload version or model not served by this worker
  OUT_OF_MEMORY: { isRetryable: true, countsAttempt: true }, // may fit on another worker
  SHUTTING_DOWN: { isRetryable: true, countsAttempt: false }, // released by a worker on SIGTERM: not the job's fault
  INTERNAL: { isRetryable: true, countsAttempt: true }, // anything else: retried until maxAttempts
} as const satisfies Record<string, { isRetryable: boolean; countsAttempt: boolean }>;
export type JobErrorCode = keyof typeof JOB_ERROR_CODES;
export const ZJobErrorCodeSchema = z.enum(Object.keys(JOB_ERROR_CODES) as [JobErrorCode, ...JobErrorCode[]], {
  error: `code: one of ${Object.keys(JOB_ERROR_CODES).join(", ")}`,
});
/** The app's own codes for failures no worker reported (a lost lease on the last attempt, a refused upload). */
export type AppJobErrorCode = JobErrorCode | "LEASE_LOST" | "RESULT_REJECTED";
