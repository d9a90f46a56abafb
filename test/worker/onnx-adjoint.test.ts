import { describe, it } from "vitest";
import type { AdjointSources } from "~/gpu-worker/src/engine/adjoint-types";
import { createOnnxAdjoint } from "~/gpu-worker/src/engine/onnx/onnx-adjoint";
import { referenceAdjoint } from "~/gpu-worker/src/engine/reference/reference-adjoint";
import { referenceForward } from "~/gpu-worker/src/engine/reference/reference-forward";
import { loadModelWeights } from "~/gpu-worker/src/models/load-model-weights";
import { loadTranscoderSet } from "~/gpu-worker/src/models/load-transcoder-set";
import { expectClose } from "./helpers/check-close";
import { makeRandom, uniform } from "./helpers/random";
import { makeTempDir, writeTinyModel, writeTinyTranscoders, type TinyArch } from "./helpers/tiny-model";

/** The ONNX adjoint graph equals the float64 reference adjoint (itself checked by perturbation). */
const cases: { arch: TinyArch; hook: string; out?: string; skip: boolean; n_kv_heads: number }[] = [
  { arch: "gemma2", hook: "ln2.hook_normalized", out: "hook_mlp_out", skip: false, n_kv_heads: 2 },
  { arch: "gemma2", hook: "mlp.hook_in", out: "mlp.hook_out", skip: true, n_kv_heads: 1 },
  { arch: "gpt2", hook: "hook_resid_mid", skip: true, n_kv_heads: 4 },
  { arch: "llama", hook: "mlp.hook_in", skip: false, n_kv_heads: 2 },
  { arch: "qwen3", hook: "ln2.hook_normalized", skip: true, n_kv_heads: 1 },
];

describe("ONNX adjoint vs float64 reference adjoint", () => {
  for (const c of cases) {
    it(`${c.arch} (${c.hook} → ${c.out ?? "hook_mlp_out"}${c.skip ? ", skip" : ""}, ${c.n_kv_heads} kv heads): all contractions match (atol 1e-5, rtol 1e-4)`, async () => {
      const L = 3,
        d = 16,
        T = 7;
      const modelDir = makeTempDir(`adj-${c.arch}`);
      const tcDir = makeTempDir(`adj-tc-${c.arch}`);
      writeTinyModel(modelDir, {
        arch: c.arch,
        n_layers: L,
        d_model: d,
        n_heads: 4,
        n_kv_heads: c.n_kv_heads,
        d_mlp: 32,
        seed: 31,
      });
      writeTinyTranscoders(tcDir, {
        kind: "transcoder_set",
        n_layers: L,
        d_model: d,
        d_transcoder: 8,
        activation: "relu",
        skip: c.skip,
        feature_input_hook: c.hook,
        feature_output_hook: c.out ?? "hook_mlp_out",
        seed: 32,
      });
      const model = loadModelWeights(modelDir);
      const set = loadTranscoderSet(tcDir);
      const tokens = [1, 6, 3, 9, 12, 2, 4];
      const cache = referenceForward(model, tokens, {
        inputHook: set.feature_input_hook,
        outputHook: set.feature_output_hook,
      });
      const rand = makeRandom(9);
      const rowCounts = [3, 0, 2]; // layer 1 has no decoder rows: exercises the padding path
      const sources: AdjointSources = {
        decoderRows: rowCounts.map((n) => ({
          pos: Int32Array.from({ length: n }, () => 1 + Math.floor(rand() * (T - 1))),
          vecs: uniform(rand, n * d),
        })),
        errors: uniform(rand, L * T * d),
        tokenVectors: uniform(rand, T * d),
      };
      const adjoint = await createOnnxAdjoint(model, set, "cpu", undefined, c.arch === "gemma2"); // gemma cases: external data
      const runner = adjoint.prepare(cache, sources);
      // Batch 1 mixes logit and feature targets (full length, every layer); batch 2 stops at layer 1
      // and position 4, so the top layer is skipped and only a 5-token prefix runs.
      const batches = [
        {
          layer: Int32Array.from([L, 2, 0, 1, L]),
          pos: Int32Array.from([T - 1, 5, 6, 3, T - 1]),
          vecs: uniform(rand, 5 * d),
        },
        { layer: Int32Array.from([1, 0, 1]), pos: Int32Array.from([3, 2, 4]), vecs: uniform(rand, 3 * d) },
      ];
      for (const [i, batch] of batches.entries()) {
        const want = referenceAdjoint(model, set, cache, sources, batch);
        const got = await runner.run(batch);
        rowCounts.forEach((_, l) =>
          expectClose(`${c.arch} batch ${i} dec_${l}`, got.decoder[l]!, want.decoder[l]!, 1e-5, 1e-4),
        );
        expectClose(`${c.arch} batch ${i} errors`, got.errors, want.errors, 1e-5, 1e-4);
        expectClose(`${c.arch} batch ${i} tokens`, got.tokens, want.tokens, 1e-5, 1e-4);
      }
      await adjoint.dispose();
    });
  }
});
