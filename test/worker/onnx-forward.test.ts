import { describe, expect, it } from "vitest";
import { loadModelWeights } from "~/gpu-worker/src/models/load-model-weights";
import { loadTranscoderSet } from "~/gpu-worker/src/models/load-transcoder-set";
import { createOnnxTranscoderPass } from "~/gpu-worker/src/engine/onnx/onnx-transcoder-pass";
import { referenceTranscoderPass } from "~/gpu-worker/src/engine/reference/reference-transcoder-pass";
import type { FeatureInputHook, FeatureOutputHook } from "~/gpu-worker/src/models/transcoder-set";
import { createOnnxForward } from "~/gpu-worker/src/engine/onnx/onnx-forward";
import { referenceForward } from "~/gpu-worker/src/engine/reference/reference-forward";
import { expectClose } from "./helpers/check-close";
import { makeTempDir, writeTinyModel, writeTinyTranscoders, type TinyArch } from "./helpers/tiny-model";

/** The float32 ONNX forward pass equals the float64 reference within 1e-4 relative (issue 4). */
const cases: {
  arch: TinyArch;
  hook: FeatureInputHook;
  out?: FeatureOutputHook;
  n_kv_heads: number;
  external?: boolean;
}[] = [
  { arch: "gpt2", hook: "hook_resid_mid", n_kv_heads: 4 },
  { arch: "llama", hook: "mlp.hook_in", n_kv_heads: 2 },
  { arch: "qwen3", hook: "ln2.hook_normalized", n_kv_heads: 1 },
  { arch: "gemma2", hook: "ln2.hook_normalized", out: "hook_mlp_out", n_kv_heads: 2 },
  { arch: "gemma2", hook: "mlp.hook_in", out: "mlp.hook_out", n_kv_heads: 1 },
  // Weights in an external-data file, as for models past protobuf's 2 GB cap.
  { arch: "llama", hook: "hook_resid_mid", n_kv_heads: 2, external: true },
];

describe("ONNX forward vs float64 reference", () => {
  for (const c of cases) {
    it(`${c.arch} (${c.hook} → ${c.out ?? "hook_mlp_out"}${c.external ? ", external data" : ""}): every cache matches (rtol 1e-4, atol 1e-5)`, async () => {
      const dir = makeTempDir(`onnx-${c.arch}`);
      writeTinyModel(dir, {
        arch: c.arch,
        n_layers: 3,
        d_model: 16,
        n_heads: 4,
        n_kv_heads: c.n_kv_heads,
        d_mlp: 32,
        seed: 21,
      });
      const model = loadModelWeights(dir);
      const tokens = [1, 4, 9, 2, 2, 13, 7, 5, 11];
      const out = c.out ?? "hook_mlp_out";
      const ref = referenceForward(model, tokens, { inputHook: c.hook, outputHook: out });
      const fwd = await createOnnxForward(model, { input: c.hook, output: out }, "cpu", undefined, c.external ?? false);
      const got = await fwd.run(tokens);
      await fwd.dispose();
      for (const key of [
        "embed",
        "x",
        "mlp_out",
        "patterns",
        "ln1_scale",
        "ln2_scale",
        "ln1_post_scale",
        "ln2_post_scale",
        "lnf_scale",
        "logits",
      ] as const) {
        expectClose(`${c.arch} ${key}`, got[key], ref[key], 1e-5, 1e-4);
      }
    });
  }
});

describe("ONNX transcoder pass vs float64 reference", () => {
  for (const kind of ["transcoder_set", "cross_layer_transcoder"] as const) {
    it(`${kind}: pre-activations and skip terms match (rtol 1e-4, atol 1e-5)`, async () => {
      const modelDir = makeTempDir("tcpass-model");
      const tcDir = makeTempDir("tcpass-tc");
      writeTinyModel(modelDir, {
        arch: "llama",
        n_layers: 3,
        d_model: 16,
        n_heads: 4,
        n_kv_heads: 2,
        d_mlp: 32,
        seed: 23,
      });
      writeTinyTranscoders(tcDir, {
        kind,
        n_layers: 3,
        d_model: 16,
        d_transcoder: 24,
        activation: "relu",
        skip: kind === "transcoder_set",
        feature_input_hook: "mlp.hook_in",
        feature_output_hook: "hook_mlp_out",
        seed: 24,
      });
      const model = loadModelWeights(modelDir);
      const set = loadTranscoderSet(tcDir);
      const cache = referenceForward(model, [1, 4, 9, 2, 7], { inputHook: set.feature_input_hook });
      const want = referenceTranscoderPass(set, cache);
      const pass = await createOnnxTranscoderPass(set, "cpu");
      const got = await pass.run(cache.x, cache.n_tokens);
      await pass.dispose();
      expectClose(`${kind} pre`, got.pre, want.pre, 1e-5, 1e-4);
      expect(got.skip === null).toBe(want.skip === null);
      if (want.skip) expectClose(`${kind} skip`, got.skip!, want.skip, 1e-5, 1e-4);
    });
  }
});
