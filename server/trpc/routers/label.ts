import { z } from "zod";
import { authorizeGraph } from "../../authz/graph-access";
import { ZFeatureRefSchema } from "../../services/labels/feature-ref";
import { featureGraphs, labelContributions, nextQueueItem, searchFeatures } from "../../services/labels/features";
import { hideLabel, listFeatureLabels, proposeLabel, voteLabel, ZLabelTextSchema } from "../../services/labels/labels";
import { shownLabelsForReader } from "../../services/labels/shown-labels";
import { protectedProcedure, publicProcedure, router } from "../init";

const ZLabelId = z.string().min(1, "labelId: required").max(64);
const ZSlug = z.string().min(1).max(100);

export const labelRouter = router({
  list: protectedProcedure
    .input(z.object({ feature: ZFeatureRefSchema }))
    .query(({ ctx, input }) => listFeatureLabels(ctx.db, { actor: ctx.user, ...input })),
  propose: protectedProcedure
    .input(z.object({ feature: ZFeatureRefSchema, text: ZLabelTextSchema, slug: ZSlug.nullable() }))
    .mutation(({ ctx, input }) => proposeLabel(ctx.db, { actor: ctx.user, ...input })),
  vote: protectedProcedure
    .input(z.object({ labelId: ZLabelId, value: z.union([z.literal(-1), z.literal(0), z.literal(1)]) }))
    .mutation(({ ctx, input }) => voteLabel(ctx.db, { actor: ctx.user, ...input })),
  hide: protectedProcedure
    .input(z.object({ labelId: ZLabelId, isHidden: z.boolean() }))
    .mutation(({ ctx, input }) => hideLabel(ctx.db, { actor: ctx.user, ...input })),
  /**
   * What the graph shows from the label system, by feature key: for whoever may read the graph. `asAnonymous`
   * (embeds): what a signed-out visitor gets, whatever session comes along.
   */
  shownForGraph: publicProcedure
    .input(z.object({ graphId: z.string().min(1).max(64), asAnonymous: z.boolean().default(false) }))
    .query(async ({ ctx, input }) => {
      const userId = input.asAnonymous ? null : (ctx.user?.id ?? null);
      await authorizeGraph(ctx.db, userId, input.graphId, "graph.read");
      return shownLabelsForReader(ctx.db, { graphId: input.graphId, userId });
    }),
  graphs: protectedProcedure
    .input(z.object({ feature: ZFeatureRefSchema }))
    .query(({ ctx, input }) => featureGraphs(ctx.db, { actor: ctx.user, ...input })),
  search: protectedProcedure
    .input(z.object({ query: z.string().max(200) }))
    .query(({ ctx, input }) => searchFeatures(ctx.db, { actor: ctx.user, ...input })),
  queue: protectedProcedure
    .input(z.object({ slug: ZSlug, skip: z.array(z.string().max(500)).max(500).default([]) }))
    .query(({ ctx, input }) => nextQueueItem(ctx.db, { actor: ctx.user, ...input })),
  contributions: protectedProcedure
    .input(z.object({ slug: ZSlug }))
    .query(({ ctx, input }) => labelContributions(ctx.db, { actor: ctx.user, ...input })),
});
