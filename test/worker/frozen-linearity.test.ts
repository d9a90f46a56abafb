import { describe, expect, it } from "vitest";
import { referenceAdjoint } from "~/gpu-worker/src/engine/reference/reference-adjoint";
import { referenceForward } from "~/gpu-worker/src/engine/reference/reference-forward";
import { loadModelWeights } from "~/gpu-worker/src/models/load-model-weights";
import { loadTranscoderSet } from "~/gpu-worker/src/models/load-transcoder-set";
import { expectClose } from "./helpers/check-close";
import { makeRandom, uniform } from "./helpers/random";
import { makeTempDir, writeTinyModel, writeTinyTranscoders, type TinyArch } from "./helpers/tiny-model";

/**
 * The analogue of reference §8.2 for an explicit adjoint. Frozen at prompt 1's values, the model
 * must be exactly affine in its inputs — a missed freeze point (a norm scale, a q/k norm, an
 * attention pattern, a post-norm) makes it curve. Checks, for the top de-meaned logit and a
 * feature-like readout:
 *   - zero second difference: f(2δ) − 2 f(δ) + f(0) = 0 for large δ at the embeddings and at the
 *     first layers' output hooks;
 *   - invariance: running a fuzzed prompt 2 (same BOS) through prompt 1's frozen model changes the
 *     readout by exactly the adjoint's gradient · (embed₂ − embed₁).
 */
const archs: TinyArch[] = ["gpt2", "llama", "qwen3", "gemma2"];

describe("the frozen model is affine (reference §8.2)", () => {
  for (const arch of archs) {
    it(`${arch}: zero second difference and gradient invariance across prompts`, () => {
      const L = 3,
        d = 8,
        T = 7;
      const modelDir = makeTempDir("lin-model");
      const tcDir = makeTempDir("lin-tc");
      writeTinyModel(modelDir, {
        arch,
        n_layers: L,
        d_model: d,
        n_heads: 2,
        n_kv_heads: arch === "gpt2" ? 2 : 1,
        d_mlp: 16,
        seed: 81,
      });
      writeTinyTranscoders(tcDir, {
        kind: "transcoder_set",
        n_layers: L,
        d_model: d,
        d_transcoder: 8,
        activation: "relu",
        skip: true,
        feature_input_hook: "mlp.hook_in",
        feature_output_hook: "mlp.hook_out",
        seed: 82,
      });
      const model = loadModelWeights(modelDir);
      const set = loadTranscoderSet(tcDir);
      const hooks = { inputHook: set.feature_input_hook, outputHook: set.feature_output_hook };
      const prompt1 = [1, 5, 3, 9, 2, 7, 4];
      const prompt2 = [1, 12, 8, 2, 15, 3, 6]; // same BOS, other tokens
      const clean = referenceForward(model, prompt1, hooks);
      const frozen = { cache: clean, W_skip: (l: number) => set.layers[l]!.W_skip };
      const rand = makeRandom(83);
      const readoutVec = uniform(rand, d); // a feature-like encoder vector at (layer 2, position 5)
      const V = model.config.d_vocab;
      const top = clean.logits.indexOf(Math.max(...clean.logits));
      const readout = (r: ReturnType<typeof referenceForward>) => {
        const logits = Array.from({ length: V }, (_, v) =>
          r.final_normed.reduce((s, x, j) => s + x * model.W_U.data[j * V + v]!, 0),
        );
        const mean = logits.reduce((a, b) => a + b, 0) / V;
        const x = r.x.subarray((2 * T + 5) * d, (2 * T + 6) * d);
        return [logits[top]! - mean, readoutVec.reduce((s, v, j) => s + v * x[j]!, 0)];
      };
      const run = (inject: { embed?: Float64Array; mlp_out?: Float64Array }, tokens = prompt1) =>
        readout(referenceForward(model, tokens, { ...hooks, frozen, inject }));
      const base = run({});

      const scaled = (v: Float64Array, k: number) => v.map((x) => k * x);
      const embedDelta = Float64Array.from(uniform(rand, T * d, -3, 3));
      const mlpDelta = new Float64Array(L * T * d);
      mlpDelta.set(uniform(rand, 2 * T * d, -3, 3)); // the first two layers' output hooks
      for (const [name, inject] of [
        ["embeddings", (k: number) => ({ embed: scaled(embedDelta, k) })],
        ["output hooks", (k: number) => ({ mlp_out: scaled(mlpDelta, k) })],
      ] as const) {
        const one = run(inject(1));
        const two = run(inject(2));
        expect(Math.abs(one[0]! - base[0]!), `${name}: the perturbation must move the logit`).toBeGreaterThan(1e-3);
        expectClose(
          `${arch} ${name}: second difference`,
          two.map((v, i) => v - 2 * one[i]! + base[i]!),
          [0, 0],
          1e-9,
          0,
        );
      }

      // Prompt 2 through prompt 1's frozen model = prompt 1 + gradient · (embed₂ − embed₁).
      const e2 = referenceForward(model, prompt2, hooks).embed;
      const delta = Float32Array.from(e2, (v, i) => v - clean.embed[i]!);
      const u = new Float32Array(d); // de-meaned unembedding column of the top token
      for (let j = 0; j < d; j++) {
        let mean = 0;
        for (let v = 0; v < V; v++) mean += model.W_U.data[j * V + v]!;
        u[j] = model.W_U.data[j * V + top]! - mean / V;
      }
      const sources = {
        decoderRows: Array.from({ length: L }, () => ({ pos: new Int32Array(0), vecs: new Float32Array(0) })),
        errors: new Float32Array(L * T * d),
        tokenVectors: delta,
      };
      const vecs = new Float32Array(2 * d);
      vecs.set(u, 0);
      vecs.set(readoutVec, d);
      const R = referenceAdjoint(model, set, clean, sources, {
        layer: Int32Array.from([L, 2]),
        pos: Int32Array.from([T - 1, 5]),
        vecs,
      });
      const predicted = [0, 1].map(
        (b) => base[b]! + Array.from(R.tokens.subarray(b * T, (b + 1) * T)).reduce((a, x) => a + x, 0),
      );
      // The adjoint takes float32 vectors (u and δ are rounded to float32), hence 1e-6 rather than 1e-9.
      expectClose(`${arch}: prompt 2 in prompt 1's frozen model`, run({}, prompt2), predicted, 1e-6, 1e-6);
    });
  }
});
