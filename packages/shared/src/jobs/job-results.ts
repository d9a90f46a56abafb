/**
 * The JSON results of the kinds whose result is "json" (JOB_KINDS), validated by the app when the worker
 * uploads them and by the browser's types when it shows them.
 */
import { z } from "zod";

const ZTokenProbSchema = z.object({
  id: z.int().min(0),
  token: z.string().max(200),
  prob: z.number().min(0).max(1),
  logit: z.number(),
});
export type TTokenProb = z.infer<typeof ZTokenProbSchema>;

export const ZPreviewResultSchema = z.object({
  /** The prompt's token ids as the model reads them, BOS included when the model prepends one. */
  tokenIds: z.array(z.int().min(0)).max(100_000),
  top: z.array(ZTokenProbSchema).max(50),
});
export type TPreviewResult = z.infer<typeof ZPreviewResultSchema>;

export const ZInterveneResultSchema = z.object({
  tokens: z.array(z.string().max(200)).max(100_000),
  mode: z.string().max(40),
  interventions: z
    .array(
      z.object({
        layer: z.int(),
        position: z.int(),
        feature: z.int(),
        cleanActivation: z.number(),
        value: z.number(),
      }),
    )
    .max(200_000),
  clean: z.object({ top: z.array(ZTokenProbSchema).max(50) }),
  intervened: z.object({ top: z.array(ZTokenProbSchema).max(50) }),
  /** The clean top tokens' probabilities before and after: the "probability change" column. */
  cleanTopAfter: z
    .array(z.object({ id: z.int(), token: z.string().max(200), cleanProb: z.number(), intervenedProb: z.number() }))
    .max(50),
  generation: z
    .object({ clean: z.string().max(20_000), intervened: z.string().max(20_000), nTokens: z.int().min(0) })
    .nullable(),
});
export type TInterveneResult = z.infer<typeof ZInterveneResultSchema>;

export const JOB_RESULT_SCHEMAS = { preview: ZPreviewResultSchema, intervene: ZInterveneResultSchema } as const;
