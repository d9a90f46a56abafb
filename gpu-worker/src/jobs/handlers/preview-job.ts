/** Kind "preview": one forward pass, the model's top next tokens for the prompt (the prompt box's preview). */
import { ZPreviewPayloadSchema } from "@circuitboard/shared/job-payload";
import type { TPreviewResult } from "@circuitboard/shared/jobs/job-results";
import { topTokens } from "../../interventions/intervene";
import type { JobHandler } from "../job-handler";
import { promptTokens } from "./prompt-tokens";

export const previewJob: JobHandler<typeof ZPreviewPayloadSchema> = {
  kind: "preview",
  schema: ZPreviewPayloadSchema,
  phasePlan: { forward: [0, 1] },
  isQuick: true,
  async run(payload, ctx) {
    const tokenIds = promptTokens(ctx.loaded, payload.prompt);
    const cache = await ctx.loaded.engine.forward(tokenIds);
    const result: TPreviewResult = {
      tokenIds,
      top: topTokens(cache.logits, payload.topK).map((t) => ({
        id: t.id,
        token: ctx.loaded.tokenizer.decodeOne(t.id),
        prob: t.prob,
        logit: t.logit,
      })),
    };
    return { body: JSON.stringify(result), contentType: "application/json" };
  },
};
