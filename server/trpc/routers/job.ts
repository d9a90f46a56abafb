import { z } from "zod";
import { ZAttributeParamsSchema, MAX_PROMPT_CHARS } from "@circuitboard/shared/job-payload";
import { cancelJob, enqueueAttributionJob, getJob, listAvailableModels, listJobs } from "../../jobs/jobs";
import { ZSlugSchema } from "../../services/workspaces";
import { protectedProcedure, router } from "../init";

const ZJobId = z.string().min(1).max(64);

export const jobRouter = router({
  models: protectedProcedure.query(({ ctx }) => listAvailableModels(ctx.db)),
  generate: protectedProcedure
    .input(
      z.object({
        slug: ZSlugSchema,
        modelId: z.string().min(1, "modelId: choose a model").max(120),
        prompt: z
          .string()
          .trim()
          .min(1, "prompt: enter a prompt")
          .max(MAX_PROMPT_CHARS, `prompt: at most ${MAX_PROMPT_CHARS} characters`),
        title: z.string().trim().max(200).optional(),
        params: ZAttributeParamsSchema.prefault({}),
      }),
    )
    .mutation(({ ctx, input }) => enqueueAttributionJob(ctx.db, { actor: ctx.user, ...input })),
  get: protectedProcedure
    .input(z.object({ jobId: ZJobId }))
    .query(({ ctx, input }) => getJob(ctx.db, { actor: ctx.user, ...input })),
  list: protectedProcedure
    .input(z.object({ slug: ZSlugSchema }))
    .query(({ ctx, input }) => listJobs(ctx.db, { actor: ctx.user, ...input })),
  cancel: protectedProcedure
    .input(z.object({ jobId: ZJobId }))
    .mutation(({ ctx, input }) => cancelJob(ctx.db, { actor: ctx.user, ...input })),
});
