/**
 * `worker intervene --model DIR --transcoders DIR --prompt TEXT [--set L:P:F=V …] [--ablate L:P:F …]
 *    [--frozen-attention | --direct] [--generate N] [--top-k K]`
 * Prints JSON: the clamped features with their clean activations, the clean and the intervened top-k
 * next tokens, the clean top-k's probabilities after the intervention, and greedy continuations.
 */
import { parseArgs } from "node:util";
import { parseDeviceChoice } from "../engine/onnx/select-device";
import { loadModelWeights } from "../models/load-model-weights";
import { ensureBos, loadTokenizer } from "../models/load-tokenizer";
import { loadTranscoderSet } from "../models/load-transcoder-set";
import { generateWithIntervention, runIntervention, softmax, topTokens, type InterventionMode } from "./intervene";
import { parseInterventionSpecs } from "./parse-intervention-specs";

export const INTERVENE_USAGE = `usage: worker intervene --model DIR --transcoders DIR --prompt TEXT [--set L:P:F=VALUE …] [--ablate L:P:F …] [options]
  --set L:P:F=VALUE         clamp feature F of layer L at token position P (BOS is 0; −1 = last) to VALUE
  --ablate L:P:F            clamp it to 0
  --frozen-attention        hold attention patterns and norm denominators at their clean values; MLPs run as
                            transcoders + clean error (the local replacement model attribution describes)
  --direct                  freeze everything downstream too: direct effects only (what graph edges measure)
  --generate N              also greedy-generate N tokens, clean and with the intervention held (default 0)
  --top-k K                 next tokens listed (default 10)
  --device auto|cpu         accepted for uniformity: interventions run the float64 reference engine on the CPU`;

export async function interveneCommand(argv: string[]): Promise<number> {
  const { values: a } = parseArgs({
    args: argv,
    options: {
      model: { type: "string" },
      transcoders: { type: "string" },
      prompt: { type: "string" },
      set: { type: "string", multiple: true },
      ablate: { type: "string", multiple: true },
      "frozen-attention": { type: "boolean" },
      direct: { type: "boolean" },
      generate: { type: "string" },
      "top-k": { type: "string" },
      device: { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (a.help) return (process.stderr.write(`${INTERVENE_USAGE}\n`), 0);
  for (const key of ["model", "transcoders", "prompt"] as const)
    if (a[key] === undefined) throw new Error(`intervene: missing --${key}\n${INTERVENE_USAGE}`);
  const count = (key: "generate" | "top-k", fallback: number, min: number) => {
    const raw = a[key];
    const v = raw === undefined ? fallback : Number(raw);
    if (!Number.isInteger(v) || v < min) throw new Error(`--${key}: expected an integer ≥ ${min}, got "${raw}"`);
    return v;
  };
  // The float64 reference engine runs on the CPU only; a GPU request is refused rather than ignored.
  const device = parseDeviceChoice(a.device ?? "auto");
  if (device === "webgpu" || device === "cuda")
    throw new Error(`intervene: --device ${device}: interventions run the float64 reference engine, on the CPU only`);
  const nGenerate = count("generate", 0, 0);
  const topK = count("top-k", 10, 1);
  if (a["frozen-attention"] && a.direct)
    throw new Error("intervene: --frozen-attention and --direct are exclusive (--direct freezes attention too)");
  const mode: InterventionMode = a.direct ? "direct" : a["frozen-attention"] ? "frozen-attention" : "recomputed";

  const model = loadModelWeights(a.model!);
  const tokenizer = loadTokenizer(a.model!);
  const set = loadTranscoderSet(a.transcoders!);
  const tokens = ensureBos(tokenizer.encode(a.prompt!), tokenizer, model.config);
  const clamps = parseInterventionSpecs(a.set ?? [], a.ablate ?? [], tokens.length);
  const started = performance.now();
  const { clean, intervened, cleanValues } = runIntervention(model, set, tokens, clamps, mode);
  const cleanProbs = softmax(clean.logits),
    newProbs = softmax(intervened.logits);
  const named = (t: { id: number; logit: number; prob: number }) => ({
    id: t.id,
    token: tokenizer.decodeOne(t.id),
    logit: t.logit,
    prob: t.prob,
  });
  const generation = nGenerate > 0 ? generateWithIntervention(model, set, tokens, clamps, mode, nGenerate) : null;
  process.stderr.write(
    `intervene: ${clamps.length} clamps, mode ${mode}, ${tokens.length} tokens in ${((performance.now() - started) / 1000).toFixed(2)} s\n`,
  );
  const out = {
    prompt: a.prompt,
    tokens: tokens.map((t) => tokenizer.decodeOne(t)),
    mode,
    interventions: clamps.map((c, k) => ({
      layer: c.layer,
      position: c.pos,
      feature: c.feature,
      clean_activation: cleanValues[k],
      value: c.value,
      ablate: c.isAblation,
    })),
    clean: { top: topTokens(clean.logits, topK).map(named) },
    intervened: { top: topTokens(intervened.logits, topK).map(named) },
    clean_top_after: topTokens(clean.logits, topK).map((t) => ({
      id: t.id,
      token: tokenizer.decodeOne(t.id),
      clean_prob: cleanProbs[t.id],
      intervened_prob: newProbs[t.id],
      clean_logit: t.logit,
      intervened_logit: intervened.logits[t.id],
    })),
    ...(generation
      ? {
          generation: {
            n_tokens: nGenerate,
            clean: {
              ids: generation.clean,
              tokens: generation.clean.map((t) => tokenizer.decodeOne(t)),
              text: tokenizer.decode(generation.clean),
            },
            intervened: {
              ids: generation.intervened,
              tokens: generation.intervened.map((t) => tokenizer.decodeOne(t)),
              text: tokenizer.decode(generation.intervened),
            },
          },
        }
      : {}),
  };
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  return 0;
}
