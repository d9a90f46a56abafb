import * as ort from "onnxruntime-node";
import type { ModelWeights } from "../../models/model-weights";
import type { FeatureInputHook, FeatureOutputHook } from "../../models/transcoder-set";
import type { ForwardCache } from "../forward-cache";
import { buildForwardGraph } from "./build-forward-graph";
import { createOnnxSession, type DeviceChoice, type ExecutionProviderName } from "./create-onnx-session";
import { EXTERNAL_DATA_THRESHOLD_BYTES, materializeGraph, weightBytes } from "./materialize-graph";

/** The forward pass on onnxruntime: build the graph once per model, run it once per prompt. */
export interface OnnxForward {
  provider: ExecutionProviderName;
  run(tokens: number[]): Promise<ForwardCache>;
  dispose(): Promise<void>;
}

export async function createOnnxForward(
  model: ModelWeights,
  hooks: { input: FeatureInputHook; output: FeatureOutputHook },
  device: DeviceChoice,
  log?: (line: string) => void,
  useExternalData = weightBytes(model) > EXTERNAL_DATA_THRESHOLD_BYTES,
): Promise<OnnxForward> {
  const graph = materializeGraph("forward", useExternalData, (path) =>
    buildForwardGraph(model, hooks.input, hooks.output, path),
  );
  // The session has loaded (or, on Linux, mapped) the weights once it exists, so the temporary
  // files can be unlinked right away; a mapping keeps its pages alive after the unlink.
  const { session, provider } = await createOnnxSession(graph.source, device, log).finally(() => graph.cleanup());
  return {
    provider,
    async run(tokens) {
      const ids = new ort.Tensor("int64", BigInt64Array.from(tokens.map((t) => BigInt(t))), [tokens.length]);
      const out = await session.run({ input_ids: ids });
      const f = (name: string) => out[name]!.data as Float32Array;
      return {
        n_tokens: tokens.length,
        embed: f("embed"),
        x: f("x"),
        mlp_out: f("mlp_out"),
        patterns: f("patterns"),
        ln1_scale: f("ln1_scale"),
        ln2_scale: f("ln2_scale"),
        ln1_post_scale: model.config.post_norms ? f("ln1_post_scale") : new Float32Array(0),
        ln2_post_scale: model.config.post_norms ? f("ln2_post_scale") : new Float32Array(0),
        lnf_scale: f("lnf_scale"),
        logits: f("logits"),
      };
    },
    dispose: () => session.release(),
  };
}
