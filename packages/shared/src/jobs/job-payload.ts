/**
 * What a job asks a worker to do, versioned so that an older worker refuses (rather than misreads) a
 * newer payload. Shared by the app (validation at enqueue) and the GPU worker (validation at claim).
 * Defaults are circuit-tracer's (attribution-algorithm.md §2.9).
 */
import { z } from "zod";

export const ZAttributeParamsSchema = z.object({
  maxNLogits: z.int().min(1, "maxNLogits: at least 1").max(50, "maxNLogits: at most 50").default(10),
  desiredLogitProb: z.number().min(0.01).max(0.999, "desiredLogitProb: below 1").default(0.95),
  // null: every active feature gets its own row (slow on long prompts); the worker CLI's default is 7500.
  maxFeatureNodes: z.int().min(1).max(100_000).nullable().default(7500),
  batchSize: z.int().min(1).max(1024).default(256),
  nodeThreshold: z
    .number()
    .min(0, "nodeThreshold: between 0 and 1")
    .max(1, "nodeThreshold: between 0 and 1")
    .default(0.8),
  edgeThreshold: z
    .number()
    .min(0, "edgeThreshold: between 0 and 1")
    .max(1, "edgeThreshold: between 0 and 1")
    .default(0.98),
});
export type TAttributeParams = z.infer<typeof ZAttributeParamsSchema>;

export const MAX_PROMPT_CHARS = 4000;

export const ZAttributePayloadSchema = z.object({
  v: z.literal(1),
  kind: z.literal("attribute"),
  prompt: z
    .string()
    .min(1, "prompt: enter a prompt")
    .max(MAX_PROMPT_CHARS, `prompt: at most ${MAX_PROMPT_CHARS} characters`),
  title: z.string().max(200).optional(),
  params: ZAttributeParamsSchema,
});
export type TAttributePayload = z.infer<typeof ZAttributePayloadSchema>;

export const JOB_STATUSES = ["queued", "running", "done", "failed", "cancelled"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
