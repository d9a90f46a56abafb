import type { ModelWeights } from "../models/model-weights";
import type { TranscoderSet } from "../models/transcoder-set";
import type { AdjointRunner, AdjointSources } from "./adjoint-types";
import type { ForwardCache } from "./forward-cache";
import { createOnnxTranscoderPass } from "./onnx/onnx-transcoder-pass";
import { referenceTranscoderPass } from "./reference/reference-transcoder-pass";
import type { TranscoderPass } from "./transcoder-pass";
import { createOnnxAdjoint } from "./onnx/onnx-adjoint";
import { createOnnxForward } from "./onnx/onnx-forward";
import type { DeviceChoice } from "./onnx/create-onnx-session";
import { referenceAdjointRunner } from "./reference/reference-adjoint";
import { referenceForward } from "./reference/reference-forward";

/**
 * The two things attribution asks of an execution backend: a clean forward pass with caches, and
 * an adjoint runner per prompt. "onnx" is the production path; "reference" is the float64 oracle
 * (slow, for tests and debugging).
 */
export interface AttributionEngine {
  name: string; // e.g. "onnx/cpu"
  forward(tokens: number[]): Promise<ForwardCache>;
  transcoders(cache: ForwardCache): Promise<TranscoderPass>;
  adjoint(cache: ForwardCache, sources: AdjointSources): AdjointRunner;
  dispose(): Promise<void>;
}

export async function createAttributionEngine(
  kind: "onnx" | "reference",
  model: ModelWeights,
  set: TranscoderSet,
  device: DeviceChoice = "auto",
  log?: (line: string) => void,
): Promise<AttributionEngine> {
  if (kind === "reference") {
    return {
      name: "reference/float64",
      forward: async (tokens) =>
        referenceForward(model, tokens, { inputHook: set.feature_input_hook, outputHook: set.feature_output_hook }),
      transcoders: async (cache) => referenceTranscoderPass(set, cache),
      adjoint: (cache, sources) => referenceAdjointRunner(model, set, cache, sources),
      dispose: async () => {},
    };
  }
  const forward = await createOnnxForward(
    model,
    { input: set.feature_input_hook, output: set.feature_output_hook },
    device,
    log,
  );
  const adjoint = await createOnnxAdjoint(model, set, device, log);
  const transcoders = await createOnnxTranscoderPass(set, device, log);
  return {
    name: `onnx/${adjoint.provider}`,
    forward: (tokens) => forward.run(tokens),
    transcoders: (cache) => transcoders.run(cache.x, cache.n_tokens),
    adjoint: (cache, sources) => adjoint.prepare(cache, sources),
    dispose: async () => {
      await forward.dispose();
      await adjoint.dispose();
      await transcoders.dispose();
    },
  };
}
