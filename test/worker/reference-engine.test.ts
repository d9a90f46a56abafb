import { describe, expect, it } from "vitest";
import { loadModelWeights } from "~/gpu-worker/src/models/load-model-weights";
import { loadTranscoderSet } from "~/gpu-worker/src/models/load-transcoder-set";
import type { AdjointSources } from "~/gpu-worker/src/engine/adjoint-types";
import { referenceAdjoint } from "~/gpu-worker/src/engine/reference/reference-adjoint";
import { referenceForward } from "~/gpu-worker/src/engine/reference/reference-forward";
import { expectClose } from "./helpers/check-close";
import { makeRandom, uniform } from "./helpers/random";
import { makeTempDir, writeTinyModel, writeTinyTranscoders, type TinyArch } from "./helpers/tiny-model";

/**
 * The reference adjoint against the reference frozen forward: for random injection vectors and
 * random source vectors, the adjoint's contraction must equal the change of the target's readout
 * when the source is added once in the frozen model (reference §8.1, at the engine level).
 */
const cases: { arch: TinyArch; hook: string; out?: string; skip: boolean }[] = [
  { arch: "gpt2", hook: "hook_resid_mid", skip: false },
  { arch: "llama", hook: "mlp.hook_in", skip: true },
  { arch: "qwen3", hook: "ln2.hook_normalized", skip: true },
  { arch: "gemma2", hook: "ln2.hook_normalized", out: "hook_mlp_out", skip: true },
  { arch: "gemma2", hook: "mlp.hook_in", out: "mlp.hook_out", skip: true },
];

describe("reference engine", () => {
  for (const c of cases) {
    it(`${c.arch} (${c.hook} → ${c.out ?? "hook_mlp_out"}${c.skip ? ", skip" : ""}): frozen forward reproduces the clean pass, and the adjoint equals perturbation`, () => {
      const L = 2,
        d = 8,
        T = 6;
      const modelDir = makeTempDir(`ref-${c.arch}`);
      const tcDir = makeTempDir(`ref-tc-${c.arch}`);
      writeTinyModel(modelDir, {
        arch: c.arch,
        n_layers: L,
        d_model: d,
        n_heads: 2,
        n_kv_heads: c.arch === "gpt2" ? 2 : 1,
        d_mlp: 16,
        seed: 11,
      });
      writeTinyTranscoders(tcDir, {
        kind: "transcoder_set",
        n_layers: L,
        d_model: d,
        d_transcoder: 16,
        activation: "relu",
        skip: c.skip,
        feature_input_hook: c.hook,
        feature_output_hook: c.out ?? "hook_mlp_out",
        seed: 12,
      });
      const model = loadModelWeights(modelDir);
      const set = loadTranscoderSet(tcDir);
      const tokens = [1, 5, 3, 9, 2, 7];
      const clean = referenceForward(model, tokens, {
        inputHook: set.feature_input_hook,
        outputHook: set.feature_output_hook,
      });
      const frozen = { cache: clean, W_skip: (l: number) => set.layers[l]!.W_skip };
      const same = referenceForward(model, tokens, {
        inputHook: set.feature_input_hook,
        outputHook: set.feature_output_hook,
        frozen,
      });
      expectClose("frozen x", same.x, clean.x, 1e-12, 1e-12);
      expectClose("frozen logits", same.logits, clean.logits, 1e-12, 1e-12);

      const rand = makeRandom(5);
      // Sources: one random vector per (layer, pos) at the MLP outputs, and random token vectors.
      const errors = uniform(rand, L * T * d);
      const tokenVectors = uniform(rand, T * d);
      const rowPos = Int32Array.from([1, 3, 5]);
      const sources: AdjointSources = {
        decoderRows: Array.from({ length: L }, () => ({ pos: rowPos, vecs: uniform(rand, 3 * d) })),
        errors,
        tokenVectors,
      };
      // Targets: a logit-like vector at (L, T−1) and encoder-like vectors at (1, 4) and (0, 5).
      const batch = {
        layer: Int32Array.from([L, 1, 0]),
        pos: Int32Array.from([T - 1, 4, 5]),
        vecs: uniform(rand, 3 * d),
      };
      const R = referenceAdjoint(model, set, clean, sources, batch);
      const readout = (r: ReturnType<typeof referenceForward>, b: number): number => {
        const l = batch.layer[b]!,
          p = batch.pos[b]!;
        const v = batch.vecs.subarray(b * d, (b + 1) * d);
        const at = l === L ? r.final_normed.subarray(0, d) : r.x.subarray((l * T + p) * d, (l * T + p + 1) * d);
        return v.reduce((s, vi, i) => s + vi * at[i]!, 0);
      };
      const base = [0, 1, 2].map((b) => readout(same, b));
      const delta = (inject: { embed?: Float64Array; mlp_out?: Float64Array }) => {
        const r = referenceForward(model, tokens, {
          inputHook: set.feature_input_hook,
          outputHook: set.feature_output_hook,
          frozen,
          inject,
        });
        return [0, 1, 2].map((b) => readout(r, b) - base[b]!);
      };
      const got: number[] = [];
      const want: number[] = [];
      for (let l = 0; l < L; l++) {
        for (let p = 0; p < T; p++) {
          const mlp_out = new Float64Array(L * T * d);
          mlp_out.set(errors.subarray((l * T + p) * d, (l * T + p + 1) * d), (l * T + p) * d);
          const dv = delta({ mlp_out });
          for (let b = 0; b < 3; b++) (got.push(R.errors[(b * L + l) * T + p]!), want.push(dv[b]!));
        }
        rowPos.forEach((p, r) => {
          const mlp_out = new Float64Array(L * T * d);
          mlp_out.set(sources.decoderRows[l]!.vecs.subarray(r * d, (r + 1) * d), (l * T + p) * d);
          const dv = delta({ mlp_out });
          for (let b = 0; b < 3; b++) (got.push(R.decoder[l]![b * 3 + r]!), want.push(dv[b]!));
        });
      }
      for (let p = 0; p < T; p++) {
        const embed = new Float64Array(T * d);
        embed.set(tokenVectors.subarray(p * d, (p + 1) * d), p * d);
        const dv = delta({ embed });
        for (let b = 0; b < 3; b++) (got.push(R.tokens[b * T + p]!), want.push(dv[b]!));
      }
      // Guard against a vacuous pass (about half the entries are zero by causality and layer order).
      expect(want.filter((v) => Math.abs(v) > 1e-3).length).toBeGreaterThan(want.length / 3);
      expectClose(`${c.arch} adjoint vs perturbation`, got, want, 1e-10, 1e-9);
    });
  }
});
