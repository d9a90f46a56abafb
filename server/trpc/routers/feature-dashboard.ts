import { importNeuronpediaDashboards, ZImportDashboardsInputSchema } from "../../services/feature-dashboards";
import { protectedProcedure, router } from "../init";

export const featureDashboardRouter = router({
  /** Neuronpedia feature-details JSON for a set nobody here computes (site admins). */
  import: protectedProcedure
    .input(ZImportDashboardsInputSchema)
    .mutation(({ ctx, input }) => importNeuronpediaDashboards(ctx.db, ctx.store, { actor: ctx.user, ...input })),
});
