/**
 * What a job asks a worker to do: one discriminated, versioned payload per kind, so that an older worker
 * refuses (rather than misreads) a newer payload. Shared by the app (validation at enqueue) and the GPU
 * worker (validation at claim). Attribution defaults are circuit-tracer's (attribution-algorithm.md §2.9).
 *
 * Adding a kind: a payload schema here (v: 1, kind: "…"), a row in JOB_KINDS (its result and priority),
 * a result schema in job-results.ts when the result is JSON, a handler in gpu-worker/src/jobs/handlers/,
 * and, when the app must do something with the result, a completion hook in server/jobs/job-kinds.ts.
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

const ZPromptSchema = z
  .string()
  .min(1, "prompt: enter a prompt")
  .max(MAX_PROMPT_CHARS, `prompt: at most ${MAX_PROMPT_CHARS} characters`);

/** A graph for a prompt. Result: the graph file, stored as a graph of the job's workspace. */
export const ZAttributePayloadSchema = z.object({
  v: z.literal(1),
  kind: z.literal("attribute"),
  prompt: ZPromptSchema,
  title: z.string().max(200).optional(),
  params: ZAttributeParamsSchema,
});
export type TAttributePayload = z.infer<typeof ZAttributePayloadSchema>;

/** The model's top next tokens for a prompt, while the user types. Result: TPreviewResult. Not kept. */
export const ZPreviewPayloadSchema = z.object({
  v: z.literal(1),
  kind: z.literal("preview"),
  prompt: ZPromptSchema,
  topK: z.int().min(1, "topK: at least 1").max(50, "topK: at most 50").default(10),
});
export type TPreviewPayload = z.infer<typeof ZPreviewPayloadSchema>;

export const INTERVENTION_OPS = ["ablate", "scale", "clamp"] as const;
export const INTERVENTION_MODES = ["recomputed", "frozen-attention", "direct"] as const;

/** One transcoder feature to intervene on, at the given prompt positions (null: every position but BOS). */
export const ZInterventionTargetSchema = z.object({
  layer: z.int().min(0, "targets[].layer: at least 0").max(1000),
  feature: z.int().min(0, "targets[].feature: at least 0").max(10_000_000),
  positions: z
    .array(z.int().min(0, "targets[].positions: at least 0").max(100_000))
    .min(1, "targets[].positions: at least one, or null for all")
    .max(1000)
    .nullable(),
});
export type TInterventionTarget = z.infer<typeof ZInterventionTargetSchema>;

/**
 * Steer the model on a graph's prompt: ablate the targets (value 0), scale them by `value` (k × their clean
 * activation), or clamp them to `value` (Neuronpedia's steering, Anthropic's interventions), then compare
 * the clean and the intervened next tokens and greedy continuations. Result: TInterveneResult.
 */
export const ZIntervenePayloadSchema = z.object({
  v: z.literal(1),
  kind: z.literal("intervene"),
  graphId: z.string().min(1).max(64),
  prompt: ZPromptSchema,
  targets: z.array(ZInterventionTargetSchema).min(1, "targets: pick at least one feature").max(200),
  op: z.enum(INTERVENTION_OPS, { error: "op: ablate, scale or clamp" }),
  value: z.number().min(-1e6, "value: at least -1000000").max(1e6, "value: at most 1000000").default(0),
  mode: z.enum(INTERVENTION_MODES, { error: "mode: recomputed, frozen-attention or direct" }).default("recomputed"),
  topK: z.int().min(1, "topK: at least 1").max(50, "topK: at most 50").default(10),
  nGenerate: z.int().min(0, "nGenerate: at least 0").max(64, "nGenerate: at most 64").default(8),
});
export type TIntervenePayload = z.infer<typeof ZIntervenePayloadSchema>;

/**
 * Feature dashboards of a model's transcoder set over a named corpus (a system job: no user's quota counts
 * it). The worker uploads one part per layer (or per slice of a layer, each within the upload limit) to
 * /api/worker/jobs/:id/parts/:name, then completes with the manifest (dashboard-manifest.ts) that indexes
 * them; the app keeps them as a FeatureDashboardSet.
 */
export const ZDashboardsPayloadSchema = z.object({
  v: z.literal(1),
  kind: z.literal("dashboards"),
  /** A corpus the worker knows by name (gpu-worker/src/jobs/handlers/dashboards-corpus.ts). */
  corpus: z.string().min(1, "corpus: required").max(200),
  /** The set the worker must be serving; "" takes whichever set it serves for the model. */
  transcoderSetId: z.string().max(200).default(""),
  layers: z.array(z.int().min(0).max(1000)).max(1000).nullable().default(null),
  maxDocs: z.int().min(1).max(10_000_000).nullable().default(null),
  /** Windows of the corpus to read at most (null: the dashboards command's default, 2048). */
  maxWindows: z.int().min(1).max(10_000_000).nullable().default(null),
});
export type TDashboardsPayload = z.infer<typeof ZDashboardsPayloadSchema>;

export const ZJobPayloadSchema = z.discriminatedUnion("kind", [
  ZAttributePayloadSchema,
  ZPreviewPayloadSchema,
  ZIntervenePayloadSchema,
  ZDashboardsPayloadSchema,
]);
export type TJobPayload = z.infer<typeof ZJobPayloadSchema>;
export type JobKind = TJobPayload["kind"];
export type TJobPayloadOf<K extends JobKind> = Extract<TJobPayload, { kind: K }>;

/**
 * Per kind: what the worker sends back on completion, and the queue priority (higher is claimed first:
 * interactive work before batch work). "graph": a graph file, stored as a graph; "json": a JSON document
 * validated by the kind's result schema and kept on the job; "blob": bytes put in the BlobStore; "dashboards": parts uploaded before completion, and a manifest
 * (dashboard-manifest.ts) as the completion body.
 */
export const JOB_KINDS = {
  preview: { result: "json", priority: 100 },
  intervene: { result: "json", priority: 80 },
  attribute: { result: "graph", priority: 50 },
  dashboards: { result: "dashboards", priority: 10 },
} as const satisfies Record<JobKind, { result: "graph" | "json" | "blob" | "dashboards"; priority: number }>;
export const JOB_KIND_NAMES = Object.keys(JOB_KINDS) as JobKind[];
export const ZJobKindSchema = z.enum(JOB_KIND_NAMES as [JobKind, ...JobKind[]]);

export const JOB_STATUSES = ["queued", "running", "done", "failed", "cancelled"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
