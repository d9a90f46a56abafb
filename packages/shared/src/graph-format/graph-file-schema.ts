import { z } from "zod";
import { ZGraphLinkSchema } from "./graph-link-schema";
import { ZGraphMetadataSchema } from "./graph-metadata-schema";
import { ZGraphNodeSchema } from "./graph-node-schema";
import { ZQParamsSchema } from "./graph-qparams-schema";

// The whole graph file as zod. parseGraph does not run this (it is too slow for 10^6 links, see
// read-links.ts); it is the readable specification, usable for small inputs, and the reference the fast
// reader is tested against. What zod cannot say: link endpoints must name nodes (checked in read-links.ts).

/** Pruned-out QK contributors, keyed by node_id (Neuronpedia graph-schema.json `qk_only_nodes`). */
export const ZQkOnlyNodeSchema = ZGraphNodeSchema.pick({
  node_id: true,
  feature: true,
  layer: true,
  ctx_idx: true,
  feature_type: true,
  jsNodeId: true,
  clerp: true,
  activation: true,
}).required({ jsNodeId: true, clerp: true });

export const ZGraphFileSchema = z.looseObject({
  metadata: ZGraphMetadataSchema,
  // Absent in some hand-made files; read as the empty saved state.
  qParams: ZQParamsSchema.optional(),
  nodes: z.array(ZGraphNodeSchema),
  links: z.array(ZGraphLinkSchema),
  qk_only_nodes: z.record(z.string(), ZQkOnlyNodeSchema).optional(),
});

export type TGraphFileJson = z.infer<typeof ZGraphFileSchema>;
