import { z } from "zod";
import { ZAttributeParamsSchema, MAX_PROMPT_CHARS } from "@circuitboard/shared/job-payload";
import {
  cancelJob,
  enqueueAttributionJob,
  getJob,
  listAvailableModels,
  listJobs,
  ZJobListFiltersSchema,
} from "../../jobs/jobs";
import { previewNextTokens, tokenizePrompt } from "../../jobs/prompt-preview";
import { createWorkerToken, listWorkers, listWorkerTokens, revokeWorkerToken } from "../../jobs/worker-tokens";
import { ZSlugSchema } from "../../services/workspaces";
import { protectedProcedure, router } from "../init";

const ZJobId = z.string().min(1, "jobId: required").max(64, "jobId: at most 64 characters");
const ZModelId = z.string().min(1, "modelId: choose a model").max(120, "modelId: at most 120 characters");
const ZPrompt = z
  .string()
  .min(1, "prompt: enter a prompt")
  .max(MAX_PROMPT_CHARS, `prompt: at most ${MAX_PROMPT_CHARS} characters`);

export const jobRouter = router({
  models: protectedProcedure.query(({ ctx }) => listAvailableModels(ctx.db)),
  generate: protectedProcedure
    .input(
      z.object({
        slug: ZSlugSchema,
        modelId: z.string().min(1, "modelId: choose a model").max(120),
        prompt: z
          .string()
          .min(1, "prompt: enter a prompt")
          .max(MAX_PROMPT_CHARS, `prompt: at most ${MAX_PROMPT_CHARS} characters`)
          .refine((p) => p.trim().length > 0, "prompt: enter a prompt"),
        title: z.string().trim().max(200, "title: at most 200 characters").optional(),
        params: ZAttributeParamsSchema.prefault({}),
      }),
    )
    .mutation(({ ctx, input }) => enqueueAttributionJob(ctx.db, { actor: ctx.user, ...input })),
  /** The prompt's tokens as the model will read them, from the tokenizer its worker announced. */
  tokenize: protectedProcedure
    .input(z.object({ modelId: ZModelId, prompt: ZPrompt }))
    .query(({ ctx, input }) => tokenizePrompt(ctx.db, ctx.store, input)),
  /** The model's top next tokens for the prompt, from a worker's preview lane (or "busy"). */
  preview: protectedProcedure
    .input(
      z.object({
        slug: ZSlugSchema,
        modelId: ZModelId,
        prompt: ZPrompt,
        topK: z.int().min(1, "topK: at least 1").max(50, "topK: at most 50").default(10),
      }),
    )
    .mutation(({ ctx, input }) => previewNextTokens(ctx.db, { actor: ctx.user, ...input })),
  get: protectedProcedure
    .input(z.object({ jobId: ZJobId }))
    .query(({ ctx, input }) => getJob(ctx.db, { actor: ctx.user, ...input })),
  list: protectedProcedure
    .input(z.object({ slug: ZSlugSchema, filters: ZJobListFiltersSchema.partial().optional() }))
    .query(({ ctx, input }) => listJobs(ctx.db, { actor: ctx.user, ...input })),
  cancel: protectedProcedure
    .input(z.object({ jobId: ZJobId }))
    .mutation(({ ctx, input }) => cancelJob(ctx.db, { actor: ctx.user, ...input })),
});

/** The fleet: site admins (ADMIN_EMAILS) only. */
export const workerRouter = router({
  list: protectedProcedure.query(({ ctx }) => listWorkers(ctx.db, { actor: ctx.user })),
  tokens: protectedProcedure.query(({ ctx }) => listWorkerTokens(ctx.db, { actor: ctx.user })),
  createToken: protectedProcedure
    .input(z.object({ name: z.string().trim().min(1, "name: required").max(80, "name: at most 80 characters") }))
    .mutation(({ ctx, input }) => createWorkerToken(ctx.db, { actor: ctx.user, ...input })),
  revokeToken: protectedProcedure
    .input(z.object({ tokenId: z.string().min(1, "tokenId: required").max(64) }))
    .mutation(({ ctx, input }) => revokeWorkerToken(ctx.db, { actor: ctx.user, ...input })),
});
