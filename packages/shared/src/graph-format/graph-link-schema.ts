import { z } from "zod";

// One entry of `links`: the signed direct effect of `source` on `target` (attribution-algorithm.md §4.6).
// Checked by hand in read-links.ts on the hot path; this schema is the specification and the slow reference.
// z.number() rejects NaN and ±Infinity (JSON.parse turns 1e999 into Infinity).
export const ZGraphLinkSchema = z.looseObject({
  source: z.string(),
  target: z.string(),
  weight: z.number(),
});

export type TGraphLinkJson = z.infer<typeof ZGraphLinkSchema>;
