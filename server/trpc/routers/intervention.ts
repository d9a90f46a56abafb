import { z } from "zod";
import { INTERVENTION_MODES, INTERVENTION_OPS, ZInterventionTargetSchema } from "@circuitboard/shared/job-payload";
import { createIntervention, getIntervention, listInterventions } from "../../services/interventions";
import { protectedProcedure, publicProcedure, router } from "../init";

const ZGraphId = z.string().min(1, "graphId: required").max(64, "graphId: at most 64 characters");

export const interventionRouter = router({
  /** Runs an intervene job on the graph's prompt and saves it with the graph. */
  create: protectedProcedure
    .input(
      z.object({
        graphId: ZGraphId,
        name: z.string().trim().max(120, "name: at most 120 characters").optional(),
        targets: z.array(ZInterventionTargetSchema).min(1, "targets: pick at least one feature").max(200),
        op: z.enum(INTERVENTION_OPS, { error: "op: ablate, scale or clamp" }),
        value: z.number().min(-1e6, "value: at least -1000000").max(1e6, "value: at most 1000000").default(0),
        mode: z
          .enum(INTERVENTION_MODES, { error: "mode: recomputed, frozen-attention or direct" })
          .default("recomputed"),
        topK: z.int().min(1, "topK: at least 1").max(50, "topK: at most 50").default(10),
        nGenerate: z.int().min(0, "nGenerate: at least 0").max(64, "nGenerate: at most 64").default(8),
      }),
    )
    .mutation(({ ctx, input }) => createIntervention(ctx.db, { actor: ctx.user, ...input })),
  list: publicProcedure
    .input(z.object({ graphId: ZGraphId }))
    .query(({ ctx, input }) => listInterventions(ctx.db, { actor: ctx.user, ...input })),
  get: publicProcedure
    .input(z.object({ interventionId: z.string().min(1, "interventionId: required").max(64) }))
    .query(({ ctx, input }) => getIntervention(ctx.db, { actor: ctx.user, ...input })),
});
