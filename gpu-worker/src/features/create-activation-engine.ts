import type { DeviceChoice } from "../engine/onnx/create-onnx-session";
import { createOnnxForward } from "../engine/onnx/onnx-forward";
import { createOnnxTranscoderPass } from "../engine/onnx/onnx-transcoder-pass";
import { referenceForward } from "../engine/reference/reference-forward";
import { referenceTranscoderPass } from "../engine/reference/reference-transcoder-pass";
import type { ModelWeights } from "../models/model-weights";
import type { TranscoderSet } from "../models/transcoder-set";
import type { FeatureActivationEngine } from "./build-feature-dashboards";

/**
 * The engine's forward pass and dense transcoder pass, without the adjoint that attribution also
 * builds (dashboards never differentiate): ONNX Runtime for real runs, the float64 reference for
 * verification.
 */
export async function createActivationEngine(
  kind: "onnx" | "reference",
  model: ModelWeights,
  set: TranscoderSet,
  device: DeviceChoice,
  log?: (line: string) => void,
): Promise<FeatureActivationEngine & { name: string; dispose(): Promise<void> }> {
  const hooks = { input: set.feature_input_hook, output: set.feature_output_hook };
  if (kind === "reference") {
    return {
      name: "reference/float64",
      forward: async (tokens) => referenceForward(model, tokens, { inputHook: hooks.input, outputHook: hooks.output }),
      transcoders: async (cache) => referenceTranscoderPass(set, cache),
      dispose: async () => {},
    };
  }
  const forward = await createOnnxForward(model, hooks, device, log);
  const transcoders = await createOnnxTranscoderPass(set, device, log);
  return {
    name: `onnx/${forward.provider}`,
    forward: (tokens) => forward.run(tokens),
    transcoders: (cache) => transcoders.run(cache.x, cache.n_tokens),
    dispose: async () => {
      await forward.dispose();
      await transcoders.dispose();
    },
  };
}
