import { z } from "zod";
import {
  deleteGraph,
  getGraph,
  GRAPH_SORTS,
  listGraphs,
  listPublicGraphs,
  updateGraph,
  ZGraphDescriptionSchema,
  ZGraphTitleSchema,
  ZGraphVisibilitySchema,
} from "../../services/graphs";
import {
  createSubgraph,
  deleteSubgraph,
  getSubgraph,
  listSubgraphs,
  ZSubgraphNameSchema,
  ZSubgraphStateSchema,
} from "../../services/subgraphs";
import { ZSlugSchema } from "../../services/workspaces";
import { protectedProcedure, publicProcedure, router } from "../init";

const ZGraphId = z.string().min(1).max(64);

export const graphRouter = router({
  list: protectedProcedure
    .input(z.object({ slug: ZSlugSchema, query: z.string().max(200).optional(), sort: z.enum(GRAPH_SORTS).optional() }))
    .query(({ ctx, input }) => listGraphs(ctx.db, { actor: ctx.user, ...input })),
  explore: publicProcedure
    .input(z.object({ query: z.string().max(200).optional() }))
    .query(({ ctx, input }) => listPublicGraphs(ctx.db, input)),
  // Public: unlisted and public graphs are readable signed out; private ones answer NOT_FOUND.
  get: publicProcedure
    .input(z.object({ graphId: ZGraphId }))
    .query(({ ctx, input }) => getGraph(ctx.db, { actor: ctx.user, ...input })),
  update: protectedProcedure
    .input(
      z.object({
        graphId: ZGraphId,
        title: ZGraphTitleSchema.optional(),
        description: ZGraphDescriptionSchema.optional(),
        visibility: ZGraphVisibilitySchema.optional(),
      }),
    )
    .mutation(({ ctx, input }) => updateGraph(ctx.db, { actor: ctx.user, ...input })),
  delete: protectedProcedure
    .input(z.object({ graphId: ZGraphId }))
    .mutation(({ ctx, input }) => deleteGraph(ctx.db, ctx.store, { actor: ctx.user, ...input })),
});

export const subgraphRouter = router({
  list: publicProcedure
    .input(z.object({ graphId: ZGraphId }))
    .query(({ ctx, input }) => listSubgraphs(ctx.db, { actor: ctx.user, ...input })),
  get: publicProcedure
    .input(z.object({ subgraphId: z.string().min(1).max(64) }))
    .query(({ ctx, input }) => getSubgraph(ctx.db, { actor: ctx.user, store: ctx.store, ...input })),
  create: protectedProcedure
    .input(z.object({ graphId: ZGraphId, name: ZSubgraphNameSchema, state: ZSubgraphStateSchema }))
    .mutation(({ ctx, input }) => createSubgraph(ctx.db, { actor: ctx.user, ...input })),
  delete: protectedProcedure
    .input(z.object({ subgraphId: z.string().min(1).max(64) }))
    .mutation(({ ctx, input }) => deleteSubgraph(ctx.db, { actor: ctx.user, ...input })),
});
