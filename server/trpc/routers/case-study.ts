import { z } from "zod";
import {
  addCaseStudyStep,
  createCaseStudy,
  deleteCaseStudy,
  deleteCaseStudyStep,
  duplicateCaseStudyStep,
  getCaseStudyDraft,
  listCaseStudies,
  moveCaseStudyStep,
  updateCaseStudy,
  updateCaseStudyStep,
} from "../../services/case-studies/drafts";
import { listCaseStudyVersions, publishCaseStudy } from "../../services/case-studies/publish";
import { listPublicCaseStudies, readPublishedCaseStudy } from "../../services/case-studies/reader";
import {
  MAX_STEPS,
  ZCaseStudySummarySchema,
  ZCaseStudyTitleSchema,
  ZCaseStudyVisibilitySchema,
  ZId,
  ZPreviewSchema,
  ZProseSchema,
  ZStepViewSchema,
  ZStudySlugSchema,
} from "../../services/case-studies/schemas";
import { ZSlugSchema } from "../../services/workspaces";
import { protectedProcedure, publicProcedure, router } from "../init";

export const caseStudyRouter = router({
  list: protectedProcedure
    .input(z.object({ slug: ZSlugSchema }))
    .query(({ ctx, input }) => listCaseStudies(ctx.db, { actor: ctx.user, ...input })),
  create: protectedProcedure
    .input(z.object({ slug: ZSlugSchema, title: ZCaseStudyTitleSchema, summary: ZCaseStudySummarySchema.optional() }))
    .mutation(({ ctx, input }) => createCaseStudy(ctx.db, { actor: ctx.user, ...input })),
  get: protectedProcedure
    .input(z.object({ caseStudyId: ZId }))
    .query(({ ctx, input }) => getCaseStudyDraft(ctx.db, { actor: ctx.user, ...input })),
  update: protectedProcedure
    .input(
      z.object({
        caseStudyId: ZId,
        title: ZCaseStudyTitleSchema.optional(),
        summary: ZCaseStudySummarySchema.optional(),
        visibility: ZCaseStudyVisibilitySchema.optional(),
        coverStepId: ZId.nullable().optional(),
      }),
    )
    .mutation(({ ctx, input }) => updateCaseStudy(ctx.db, { actor: ctx.user, ...input })),
  delete: protectedProcedure
    .input(z.object({ caseStudyId: ZId }))
    .mutation(({ ctx, input }) => deleteCaseStudy(ctx.db, { actor: ctx.user, ...input })),
  addStep: protectedProcedure
    .input(
      z.object({
        caseStudyId: ZId,
        graphId: ZId.nullable().optional(),
        prose: ZProseSchema.optional(),
        view: ZStepViewSchema.optional(),
        afterStepId: ZId.optional(),
        preview: ZPreviewSchema.optional(),
      }),
    )
    .mutation(({ ctx, input }) => addCaseStudyStep(ctx.db, { actor: ctx.user, ...input })),
  updateStep: protectedProcedure
    .input(
      z.object({
        stepId: ZId,
        prose: ZProseSchema.optional(),
        graphId: ZId.nullable().optional(),
        view: ZStepViewSchema.optional(),
      }),
    )
    .mutation(({ ctx, input }) => updateCaseStudyStep(ctx.db, { actor: ctx.user, ...input })),
  moveStep: protectedProcedure
    .input(z.object({ stepId: ZId, toIndex: z.number().int().min(0).max(MAX_STEPS) }))
    .mutation(({ ctx, input }) => moveCaseStudyStep(ctx.db, { actor: ctx.user, ...input })),
  duplicateStep: protectedProcedure
    .input(z.object({ stepId: ZId }))
    .mutation(({ ctx, input }) => duplicateCaseStudyStep(ctx.db, { actor: ctx.user, ...input })),
  deleteStep: protectedProcedure
    .input(z.object({ stepId: ZId }))
    .mutation(({ ctx, input }) => deleteCaseStudyStep(ctx.db, { actor: ctx.user, ...input })),
  // Without isConfirmed: what would become readable (graphs, labels), nothing written.
  publish: protectedProcedure
    .input(z.object({ caseStudyId: ZId, isConfirmed: z.boolean().default(false) }))
    .mutation(({ ctx, input }) => publishCaseStudy(ctx.db, ctx.store, { actor: ctx.user, ...input })),
  versions: protectedProcedure
    .input(z.object({ caseStudyId: ZId }))
    .query(({ ctx, input }) => listCaseStudyVersions(ctx.db, { actor: ctx.user, ...input })),
  // Public: a published version through its capability (workspace-only versions: members).
  read: publicProcedure
    .input(z.object({ slug: ZStudySlugSchema, number: z.number().int().min(1).max(1_000_000).optional() }))
    .query(({ ctx, input }) => readPublishedCaseStudy(ctx.db, { actor: ctx.user, ...input })),
  explore: publicProcedure
    .input(z.object({ query: z.string().max(200).optional() }))
    .query(({ ctx, input }) => listPublicCaseStudies(ctx.db, input)),
});
