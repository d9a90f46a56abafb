import { afterAll, describe, expect, it } from "vitest";
import { createAttributionEngine, type AttributionEngine } from "~/gpu-worker/src/engine/attribution-engine";
import { computeErrorVectors, encodeActiveFeatures } from "~/gpu-worker/src/engine/attribution/active-features";
import { attribute } from "~/gpu-worker/src/engine/attribution/attribute";
import { referenceForward } from "~/gpu-worker/src/engine/reference/reference-forward";
import { referenceTranscoderPass } from "~/gpu-worker/src/engine/reference/reference-transcoder-pass";
import { loadModelWeights } from "~/gpu-worker/src/models/load-model-weights";
import { loadTranscoderSet } from "~/gpu-worker/src/models/load-transcoder-set";
import { decoderRow, decoderSlots, encoderRow } from "~/gpu-worker/src/models/transcoder-set";
import { expectClose } from "./helpers/check-close";
import {
  makeTempDir,
  writeTinyModel,
  writeTinyTranscoders,
  type TinyArch,
  type TinyTranscoderSpec,
} from "./helpers/tiny-model";

/**
 * The perturbation oracle of reference §8.1. In the frozen (linearised) model — clean attention
 * patterns, norm denominators and MLP outputs, skip term live — add one extra copy of a source
 * (an error vector, a token embedding, or a feature's decoded output) and compare the change of
 * every target's pre-activation and de-meaned logit with that source's adjacency column.
 * Attribution runs on the ONNX engine (float32); the oracle is the float64 reference forward.
 */
const cases: {
  arch: TinyArch;
  tc: Pick<TinyTranscoderSpec, "kind" | "activation" | "k" | "skip" | "feature_input_hook"> & {
    feature_output_hook?: string;
  };
  maxFeatureNodes?: number;
}[] = [
  { arch: "gpt2", tc: { kind: "transcoder_set", activation: "jumprelu", feature_input_hook: "hook_resid_mid" } },
  {
    arch: "gpt2",
    tc: { kind: "cross_layer_transcoder", activation: "topk", k: 4, feature_input_hook: "hook_resid_mid" },
  },
  {
    arch: "llama",
    tc: { kind: "transcoder_set", activation: "topk", k: 4, skip: true, feature_input_hook: "mlp.hook_in" },
  },
  {
    arch: "llama",
    tc: { kind: "cross_layer_transcoder", activation: "jumprelu", feature_input_hook: "hook_resid_mid" },
  },
  {
    arch: "qwen3",
    tc: { kind: "transcoder_set", activation: "jumprelu", feature_input_hook: "ln2.hook_normalized" },
    maxFeatureNodes: 20,
  },
  {
    arch: "qwen3",
    tc: { kind: "cross_layer_transcoder", activation: "topk", k: 4, feature_input_hook: "mlp.hook_in" },
  },
  // Gemma-2: GemmaScope-style PLTs (ln2.hook_normalized → hook_mlp_out), the library's "small gemma"
  // recipe (mlp.hook_in → mlp.hook_out, before the post-MLP norm), and CLTs on the residual.
  {
    arch: "gemma2",
    tc: {
      kind: "transcoder_set",
      activation: "jumprelu",
      feature_input_hook: "ln2.hook_normalized",
      feature_output_hook: "hook_mlp_out",
    },
  },
  {
    arch: "gemma2",
    tc: {
      kind: "transcoder_set",
      activation: "jumprelu",
      skip: true,
      feature_input_hook: "mlp.hook_in",
      feature_output_hook: "mlp.hook_out",
    },
  },
  {
    arch: "gemma2",
    tc: {
      kind: "cross_layer_transcoder",
      activation: "topk",
      k: 4,
      feature_input_hook: "hook_resid_mid",
      feature_output_hook: "hook_mlp_out",
    },
  },
];

const engines: AttributionEngine[] = [];
afterAll(async () => Promise.all(engines.map((e) => e.dispose())));

describe("attribution equals perturbation in the frozen model (reference §8.1)", () => {
  for (const c of cases) {
    const label = `${c.arch} ${c.tc.kind} ${c.tc.activation}${c.tc.skip ? " +skip" : ""} (${c.tc.feature_input_hook} → ${c.tc.feature_output_hook ?? "hook_mlp_out"})${c.maxFeatureNodes ? `, max_feature_nodes ${c.maxFeatureNodes}` : ""}`;
    it(label, async () => {
      const L = 2,
        d = 8;
      const modelDir = makeTempDir("pert-model");
      const tcDir = makeTempDir("pert-tc");
      writeTinyModel(modelDir, {
        arch: c.arch,
        n_layers: L,
        d_model: d,
        n_heads: 2,
        n_kv_heads: c.arch === "gpt2" ? 2 : 1,
        d_mlp: 16,
        seed: 41,
      });
      writeTinyTranscoders(tcDir, {
        ...c.tc,
        n_layers: L,
        d_model: d,
        d_transcoder: 32,
        feature_output_hook: c.tc.feature_output_hook ?? "hook_mlp_out",
        seed: 42,
      });
      const model = loadModelWeights(modelDir);
      const set = loadTranscoderSet(tcDir);
      const tokens = [1, 3, 4, 3, 2, 5, 3, 8];
      const T = tokens.length;
      const engine = await createAttributionEngine("onnx", model, set, "cpu");
      engines.push(engine);
      const graph = await attribute(engine, model, set, tokens, {
        batchSize: 16,
        maxFeatureNodes: c.maxFeatureNodes ?? null,
        desiredLogitProb: 0.8,
        maxNLogits: 5,
      });

      // The oracle's own clean pass must find the same active features.
      const clean = referenceForward(model, tokens, {
        inputHook: set.feature_input_hook,
        outputHook: set.feature_output_hook,
      });
      const pass = referenceTranscoderPass(set, clean);
      const active = encodeActiveFeatures(set, pass, T);
      expect(Array.from(graph.active.index)).toEqual(Array.from(active.index));
      expect(Array.from(graph.active.layer)).toEqual(Array.from(active.layer));
      expect(Array.from(graph.active.pos)).toEqual(Array.from(active.pos));
      const n_act = active.layer.length;
      expect(n_act).toBeGreaterThan(10);
      const errors = computeErrorVectors(set, clean, pass, active);

      const M = graph.selected.length;
      const K = graph.logitTargets.length;
      const N = graph.n_nodes;
      expect(M).toBe(Math.min(c.maxFeatureNodes ?? n_act, n_act));
      expect(N).toBe(M + (L + 1) * T + K);

      const frozen = { cache: clean, W_skip: (l: number) => set.layers[l]!.W_skip };
      // Target readouts: feature pre-activations without bias (constants cancel in Δ) and de-meaned logits.
      const readout = (r: ReturnType<typeof referenceForward>): number[] => {
        const out: number[] = [];
        for (const f of graph.selected) {
          const l = active.layer[f]!,
            p = active.pos[f]!;
          const enc = encoderRow(set, l, active.index[f]!);
          let s = 0;
          for (let j = 0; j < d; j++) s += enc[j]! * r.x[(l * T + p) * d + j]!;
          out.push(s);
        }
        // Logits before any soft-cap (the library zeroes Gemma-2's softcap in this test, §8.1), de-meaned.
        const [, V] = model.W_U.shape as [number, number];
        const logits = Array.from({ length: V }, (_, v) =>
          r.final_normed.reduce((s, x, j) => s + x * model.W_U.data[j * V + v]!, 0),
        );
        const mean = logits.reduce((a, b) => a + b, 0) / V;
        for (const t of graph.logitTargets) out.push(logits[t.vocabIdx]! - mean);
        return out;
      };
      const base = readout(
        referenceForward(model, tokens, {
          inputHook: set.feature_input_hook,
          outputHook: set.feature_output_hook,
          frozen,
        }),
      );
      const delta = (inject: { embed?: Float64Array; mlp_out?: Float64Array }) => {
        const r = readout(
          referenceForward(model, tokens, {
            inputHook: set.feature_input_hook,
            outputHook: set.feature_output_hook,
            frozen,
            inject,
          }),
        );
        return r.map((v, i) => v - base[i]!);
      };
      const column = (s: number) => Array.from({ length: M + K }, (_, r) => graph.rows[r * N + s]!);
      const compare = (what: string, s: number, want: number[], featureAtol: number, featureRtol: number) => {
        expectClose(`${label}: ${what} → features`, column(s).slice(0, M), want.slice(0, M), featureAtol, featureRtol);
        expectClose(`${label}: ${what} → logits`, column(s).slice(M), want.slice(M), 1e-5, 1e-3);
      };

      // Error columns (tolerances of §8.1: activations atol 1e-3 / rtol 1e-3; logits atol 1e-5 / rtol 1e-3).
      for (let l = 0; l < L; l++) {
        for (let p = 1; p < T; p++) {
          const mlp_out = new Float64Array(L * T * d);
          mlp_out.set(errors.subarray((l * T + p) * d, (l * T + p + 1) * d), (l * T + p) * d);
          compare(`error (${l}, ${p})`, M + l * T + p, delta({ mlp_out }), 1e-3, 1e-3);
        }
      }
      // Token columns.
      for (let p = 1; p < T; p++) {
        const embed = new Float64Array(T * d);
        // The token vector is the value at hook_embed, which includes Gemma's √d scale.
        for (let j = 0; j < d; j++) embed[p * d + j] = model.W_E.data[tokens[p]! * d + j]! * model.config.embed_scale;
        compare(`token ${p}`, M + L * T + p, delta({ embed }), 1e-3, 1e-3);
      }
      // Feature columns: double each selected feature (delta = a · W_dec at every output layer).
      graph.selected.forEach((f, col) => {
        const l = active.layer[f]!,
          p = active.pos[f]!,
          a = active.activation[f]!;
        const mlp_out = new Float64Array(L * T * d);
        for (let slot = 0; slot < decoderSlots(set, l); slot++) {
          const dec = decoderRow(set, l, active.index[f]!, slot);
          for (let j = 0; j < d; j++) mlp_out[((l + slot) * T + p) * d + j]! += a * dec[j]!;
        }
        compare(`feature ${l}_${active.index[f]}_${p}`, col, delta({ mlp_out }), 5e-4, 1e-5);
      });
      // Error and token rows are not stored; logit columns are empty by construction.
    });
  }
});
