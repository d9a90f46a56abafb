/** Kind "attribute": prompt → attribution graph → pruned graph file, uploaded as the job's graph. */
import { ZAttributePayloadSchema } from "@circuitboard/shared/job-payload";
import { DEFAULT_ATTRIBUTE_OPTIONS } from "../../engine/attribution/attribute";
import { generateGraph, graphFileText } from "../../generate-graph";
import { throwIfAborted, type JobHandler } from "../job-handler";
import { ATTRIBUTE_PHASE_PLAN } from "../progress-reporter";
import { promptTokens } from "./prompt-tokens";

export const attributeJob: JobHandler<typeof ZAttributePayloadSchema> = {
  kind: "attribute",
  schema: ZAttributePayloadSchema,
  phasePlan: ATTRIBUTE_PHASE_PLAN,
  async run(payload, ctx) {
    ctx.report("tokenizing", 0, 1);
    promptTokens(ctx.loaded, payload.prompt); // BAD_INPUT before any work when it does not fit
    const p = payload.params;
    // The engine checks `signal` before each batch and yields to the event loop between batches, so the
    // heartbeat and progress timers run; onProgress checks it too, for engines that do not.
    const cancellable = { signal: ctx.signal };
    const { file } = await generateGraph(ctx.loaded, payload.prompt, {
      ...DEFAULT_ATTRIBUTE_OPTIONS,
      ...cancellable,
      maxNLogits: p.maxNLogits,
      desiredLogitProb: p.desiredLogitProb,
      batchSize: p.batchSize,
      maxFeatureNodes: p.maxFeatureNodes,
      nodeThreshold: p.nodeThreshold,
      edgeThreshold: p.edgeThreshold,
      slug: payload.title ?? `job-${ctx.jobId}`,
      scan: null,
      onProgress: ({ phase, done, total }) => {
        throwIfAborted(ctx.signal);
        ctx.report(phase, done, total);
      },
      log: () => {},
    });
    throwIfAborted(ctx.signal);
    ctx.report("uploading", 0, 1);
    return { body: graphFileText(file), contentType: "application/json" };
  },
};
