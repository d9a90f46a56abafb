/**
 * Kind "intervene": ablate / scale / clamp features on a graph's prompt and compare the clean and the
 * intervened next tokens and greedy continuations (interventions/intervene.ts, the float64 reference).
 */
import { ZIntervenePayloadSchema, type TIntervenePayload } from "@circuitboard/shared/job-payload";
import type { TInterveneResult } from "@circuitboard/shared/jobs/job-results";
import {
  checkClamps,
  generateWithIntervention,
  runIntervention,
  softmax,
  topTokens,
  type FeatureClamp,
} from "../../interventions/intervene";
import { ZERO_POSITIONS } from "../../engine/attribution/active-features";
import { JobError } from "../job-error";
import { throwIfAborted, type JobHandler } from "../job-handler";
import { promptTokens } from "./prompt-tokens";

/** The payload's targets as one clamp per (layer, position, feature); null positions: every one but BOS. */
export function clampsOf(p: TIntervenePayload, nTokens: number): FeatureClamp[] {
  const all = Array.from({ length: nTokens - ZERO_POSITIONS }, (_, i) => i + ZERO_POSITIONS);
  return p.targets.flatMap((t) =>
    [...new Set(t.positions ?? all)].map((pos) => ({
      layer: t.layer,
      pos,
      feature: t.feature,
      value: p.op === "clamp" ? p.value : 0,
      ...(p.op === "scale" ? { scale: p.value } : {}),
    })),
  );
}

export const interveneJob: JobHandler<typeof ZIntervenePayloadSchema> = {
  kind: "intervene",
  schema: ZIntervenePayloadSchema,
  phasePlan: { intervening: [0, 0.4], generating: [0.4, 0.6] },
  async run(payload, ctx) {
    const { model, transcoders: set, tokenizer } = ctx.loaded;
    const tokens = promptTokens(ctx.loaded, payload.prompt);
    const clamps = clampsOf(payload, tokens.length);
    try {
      checkClamps(set, tokens.length, clamps);
    } catch (e) {
      throw new JobError("BAD_INPUT", `targets: ${(e as Error).message}`);
    }
    ctx.report("intervening", 0, 1);
    const { clean, intervened, cleanValues } = runIntervention(model, set, tokens, clamps, payload.mode);
    throwIfAborted(ctx.signal);
    const cleanProbs = softmax(clean.logits),
      newProbs = softmax(intervened.logits);
    const named = (t: { id: number; logit: number; prob: number }) => ({ ...t, token: tokenizer.decodeOne(t.id) });
    let generation: TInterveneResult["generation"] = null;
    if (payload.nGenerate > 0) {
      ctx.report("generating", 0, payload.nGenerate);
      await new Promise((r) => setImmediate(r)); // let the heartbeat and progress posts out
      const g = generateWithIntervention(model, set, tokens, clamps, payload.mode, payload.nGenerate);
      generation = {
        clean: tokenizer.decode(g.clean),
        intervened: tokenizer.decode(g.intervened),
        nTokens: payload.nGenerate,
      };
    }
    const cleanTop = topTokens(clean.logits, payload.topK);
    const result: TInterveneResult = {
      tokens: tokens.map((t) => tokenizer.decodeOne(t)),
      mode: payload.mode,
      interventions: clamps.map((c, k) => ({
        layer: c.layer,
        position: c.pos,
        feature: c.feature,
        cleanActivation: cleanValues[k]!,
        value: c.scale === undefined ? c.value : c.scale * cleanValues[k]!,
      })),
      clean: { top: cleanTop.map(named) },
      intervened: { top: topTokens(intervened.logits, payload.topK).map(named) },
      cleanTopAfter: cleanTop.map((t) => ({
        id: t.id,
        token: tokenizer.decodeOne(t.id),
        cleanProb: cleanProbs[t.id]!,
        intervenedProb: newProbs[t.id]!,
      })),
      generation,
    };
    return { body: JSON.stringify(result), contentType: "application/json" };
  },
};
