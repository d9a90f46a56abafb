import { z } from "zod";

// `qParams`: the saved UI state of a graph, i.e. the subgraph (attribution-algorithm.md §4.5). Loose so keys
// the viewers add in practice (`clerps`, `pruningThreshold`, ...) survive an import/export round trip.

/** `[label, nodeRef, nodeRef, ...]`; a nodeRef is a `node_id` (or, in Anthropic-model files, a `jsNodeId`). */
export const ZSupernodeSchema = z.array(z.string()).min(1);

export const ZQParamsSchema = z.looseObject({
  pinnedIds: z.array(z.string()).optional(),
  supernodes: z.array(ZSupernodeSchema).optional(),
  linkType: z.string().optional(),
  clickedId: z.string().optional(),
  sg_pos: z.string().optional(),
});

export type TQParams = z.infer<typeof ZQParamsSchema>;
export type TSupernode = z.infer<typeof ZSupernodeSchema>;

/** What circuit-tracer writes when nothing is saved; used when a file has no qParams at all. */
export function defaultQParams(): TQParams {
  return { pinnedIds: [], supernodes: [], linkType: "both", clickedId: "", sg_pos: "" };
}
