import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { beforeAll, describe, expect, it } from "vitest";
import { referenceForward } from "~/gpu-worker/src/engine/reference/reference-forward";
import { referenceTranscoderPass } from "~/gpu-worker/src/engine/reference/reference-transcoder-pass";
import { buildFeatureDashboards, layerActivations } from "~/gpu-worker/src/features/build-feature-dashboards";
import { corpusWindows } from "~/gpu-worker/src/features/corpus-windows";
import { createActivationEngine } from "~/gpu-worker/src/features/create-activation-engine";
import {
  createDashboardWriter,
  readDashboardIndex,
  readFeatureDashboard,
} from "~/gpu-worker/src/features/dashboard-files";
import type { FeatureDashboard } from "~/gpu-worker/src/features/feature-dashboard";
import { LayerFeatureStats } from "~/gpu-worker/src/features/layer-feature-stats";
import { loadModelWeights } from "~/gpu-worker/src/models/load-model-weights";
import { loadTokenizer, type PromptTokenizer } from "~/gpu-worker/src/models/load-tokenizer";
import { loadTranscoderSet } from "~/gpu-worker/src/models/load-transcoder-set";
import type { ModelWeights } from "~/gpu-worker/src/models/model-weights";
import { decoderRow, decoderSlots, type TranscoderSet } from "~/gpu-worker/src/models/transcoder-set";
import { cantorPair } from "@circuitboard/shared/graph-format";
import { expectClose } from "./helpers/check-close";
import { interopSchema } from "../fixtures";
import { makeRandom } from "./helpers/random";
import { makeTempDir, writeTinyModel, writeTinyTranscoders, type TinyTranscoderSpec } from "./helpers/tiny-model";

/**
 * Feature dashboards against brute force: every window's activations are recomputed with the float64
 * reference forward and transcoder pass, and each statistic is checked against a direct count.
 */
const SIZES = { topK: 4, quantiles: 4, perQuantile: 3, bins: 16 };
const CONTEXT = { contextBefore: 3, contextAfter: 2 };
const WINDOW_TOKENS = 8;
// Neuronpedia's schema is an interop fixture (test/fixtures/index.ts): the check that needs it skips without it.
const SCHEMA = interopSchema("neuronpedia__feature-details-schema.json") as object | null;

function writeCorpus(dir: string, seed: number): string {
  const rand = makeRandom(seed);
  const word = () =>
    Array.from({ length: 1 + Math.floor(rand() * 4) }, () => "abcdefghijklmn"[Math.floor(rand() * 14)]).join("");
  const paragraphs = Array.from({ length: 12 }, () => Array.from({ length: 12 }, word).join(" "));
  const path = join(dir, "heldout.txt");
  writeFileSync(path, paragraphs.join("\n\n") + "\n");
  return path;
}

interface BruteForce {
  acts: Float64Array[][]; // [layer][window] → [T, F]
}

const CASES: { name: string; transcoders: Omit<TinyTranscoderSpec, "seed" | "n_layers" | "d_model"> }[] = [
  {
    name: "per-layer JumpReLU",
    transcoders: {
      kind: "transcoder_set",
      d_transcoder: 24,
      activation: "jumprelu",
      feature_input_hook: "ln2.hook_normalized",
      feature_output_hook: "hook_mlp_out",
    },
  },
  {
    name: "cross-layer TopK (negative activations, summed decoders)",
    transcoders: {
      kind: "cross_layer_transcoder",
      d_transcoder: 16,
      activation: "topk",
      k: 12,
      feature_input_hook: "hook_resid_mid",
      feature_output_hook: "hook_mlp_out",
    },
  },
];

describe.each(CASES)("dashboards ($name) against brute force", ({ transcoders }) => {
  let model: ModelWeights,
    set: TranscoderSet,
    tokenizer: PromptTokenizer,
    windows: number[][],
    brute: BruteForce,
    outDir: string;
  const records = new Map<number, FeatureDashboard[]>();
  const F = transcoders.d_transcoder;
  const L = 2;

  beforeAll(async () => {
    const modelDir = makeTempDir("dash-model"),
      tcDir = makeTempDir("dash-tc");
    writeTinyModel(modelDir, { arch: "gpt2", n_layers: L, d_model: 16, n_heads: 2, d_mlp: 32, seed: 301 });
    writeTinyTranscoders(tcDir, { ...transcoders, n_layers: L, d_model: 16, seed: 302 });
    model = loadModelWeights(modelDir);
    tokenizer = loadTokenizer(modelDir);
    set = loadTranscoderSet(tcDir);
    const corpus = writeCorpus(makeTempDir("dash-corpus"), 303);
    const docs = readFileSync(corpus, "utf8").split("\n\n");
    windows = corpusWindows(docs, tokenizer, model.config, { windowTokens: WINDOW_TOKENS, maxWindows: 40 });
    brute = { acts: Array.from({ length: L }, () => []) };
    for (const tokens of windows) {
      const cache = referenceForward(model, tokens, {
        inputHook: set.feature_input_hook,
        outputHook: set.feature_output_hook,
      });
      const pass = referenceTranscoderPass(set, cache);
      for (let l = 0; l < L; l++) brute.acts[l]!.push(layerActivations(set, pass.pre, l, tokens.length));
    }
    outDir = makeTempDir("dash-out");
    const writer = createDashboardWriter(outDir, { isPerFeatureJson: true });
    const engine = await createActivationEngine("reference", model, set, "cpu");
    await buildFeatureDashboards(
      engine,
      model,
      set,
      windows,
      (id) => tokenizer.decodeOne(id),
      { sizes: SIZES, ...CONTEXT, nLogits: 5, seed: 7 },
      (l, r) => {
        records.set(l, r);
        writer.writeLayer(l, r);
      },
    );
    writer.finish({ scan: set.scan });
  });

  const perWindowMax = (l: number, i: number) =>
    windows
      .map((tokens, w) => {
        let act = 0,
          pos = -1;
        for (let p = 1; p < tokens.length; p++) {
          const v = brute.acts[l]![w]![p * F + i]!;
          if (v !== 0 && (pos < 0 || v > act)) ((act = v), (pos = p));
        }
        return { window: w, pos, act };
      })
      .filter((e) => e.pos >= 0);

  it("windows are BOS + T − 1 corpus tokens", () => {
    expect(windows.length).toBe(40);
    // Documents are joined by BOS, but no window opens with two.
    for (const w of windows) (expect(w).toHaveLength(WINDOW_TOKENS), expect(w[0]).toBe(1), expect(w[1]).not.toBe(1));
    expect(windows.flat().filter((id) => id === 1).length).toBeGreaterThan(windows.length); // document boundaries inside windows
  });

  it("top examples are the windows with the largest activations, in order, with the contexts' true per-token activations", () => {
    for (let l = 0; l < L; l++) {
      for (let i = 0; i < F; i++) {
        const expected = perWindowMax(l, i)
          .sort((a, b) => b.act - a.act || a.window - b.window)
          .slice(0, SIZES.topK);
        const r = records.get(l)![i]!;
        const top = r.examples_quantiles.find((g) => g.quantile_name === "Top activations")?.examples ?? [];
        expect(
          top.map((e) => [e.window, e.window_pos]),
          `layer ${l} feature ${i}`,
        ).toEqual(expected.map((e) => [e.window, e.pos]));
        top.forEach((e, k) => {
          expectClose(
            `L${l} f${i} top ${k} activation`,
            [e.tokens_acts_list[e.train_token_ind]!],
            [expected[k]!.act],
            0,
            1e-4,
          );
          const start = e.window_pos - e.train_token_ind;
          expect(start).toBe(Math.max(1, e.window_pos - CONTEXT.contextBefore));
          expect(e.token_ids).toEqual(
            windows[e.window]!.slice(start, Math.min(WINDOW_TOKENS, e.window_pos + CONTEXT.contextAfter + 1)),
          );
          expect(e.tokens).toEqual(e.token_ids.map((id) => tokenizer.decodeOne(id)));
          expectClose(
            `L${l} f${i} top ${k} context`,
            e.tokens_acts_list,
            e.token_ids.map((_, c) => brute.acts[l]![e.window]![(start + c) * F + i]!),
            0,
            1e-4,
          );
        });
      }
    }
  });

  it("density is the brute-force count of active tokens over all non-BOS tokens; act range and mean match", () => {
    const nTokens = windows.length * (WINDOW_TOKENS - 1);
    for (let l = 0; l < L; l++) {
      for (let i = 0; i < F; i++) {
        const values = brute.acts[l]!.flatMap((a) =>
          Array.from({ length: WINDOW_TOKENS - 1 }, (_, k) => a[(k + 1) * F + i]!),
        ).filter((v) => v !== 0);
        const r = records.get(l)![i]!;
        expect(r.n_tokens).toBe(nTokens);
        expect(r.n_active_tokens, `layer ${l} feature ${i}`).toBe(values.length);
        expect(r.activation_frequency).toBe(values.length / nTokens);
        if (values.length > 0) {
          expectClose(
            `L${l} f${i} act range and mean`,
            [r.act_min, r.act_max, r.act_mean],
            [Math.min(...values), Math.max(...values), values.reduce((s, v) => s + v, 0) / values.length],
            0,
            1e-4,
          );
        }
      }
    }
  });

  it("histogram counts sum to the active tokens, and each bin holds exactly the values between its edges", () => {
    let sawNegative = false;
    for (let l = 0; l < L; l++) {
      for (let i = 0; i < F; i++) {
        const r = records.get(l)![i]!;
        const values = brute.acts[l]!.flatMap((a) =>
          Array.from({ length: WINDOW_TOKENS - 1 }, (_, k) => a[(k + 1) * F + i]!),
        ).filter((v) => v !== 0);
        expect(r.histogram.reduce((s, c) => s + c, 0)).toBe(r.n_active_tokens);
        expect(r.histogram_edges).toHaveLength(r.histogram.length === 0 ? 0 : r.histogram.length + 1);
        const e = r.histogram_edges;
        const expected = r.histogram.map(
          (_, k) =>
            values.filter(
              (v) =>
                (v > 0
                  ? v >= e[k]! && (v < e[k + 1]! || (k === r.histogram.length - 1 && v === e[k + 1]))
                  : v > e[k]! && v <= e[k + 1]!) ||
                (v < 0 && k === 0 && v === e[0]),
            ).length,
        );
        expect(r.histogram, `layer ${l} feature ${i}`).toEqual(expected);
        if (values.some((v) => v < 0)) sawNegative = true;
      }
    }
    if (transcoders.activation === "topk") expect(sawNegative).toBe(true);
  });

  it("interval samples lie in their interval, stronger intervals first, and are real windows' maxima", () => {
    for (let l = 0; l < L; l++) {
      for (let i = 0; i < F; i++) {
        const maxima = new Map(perWindowMax(l, i).map((e) => [e.window, e]));
        const r = records.get(l)![i]!;
        const intervals = r.examples_quantiles.filter((g) => g.quantile_name.startsWith("Interval"));
        expect(r.quantile_values).toHaveLength(intervals.length);
        intervals.forEach((g, k) => {
          if (k > 0) expect(r.quantile_values[k]!).toBeLessThan(r.quantile_values[k - 1]!);
          expect(g.examples.length).toBeLessThanOrEqual(SIZES.perQuantile);
          for (const ex of g.examples) {
            const truth = maxima.get(ex.window)!;
            expect(ex.window_pos).toBe(truth.pos);
            expect(truth.act).toBeGreaterThanOrEqual(r.quantile_values[k]! * (1 - 1e-4));
            if (k > 0) expect(truth.act).toBeLessThan(r.quantile_values[k - 1]! * (1 + 1e-4));
          }
        });
      }
    }
  });

  it("top and bottom logits are c(W_dec) · (γ ⊙ W_U), brute force", () => {
    const V = model.config.d_vocab,
      d = model.config.d_model;
    for (let l = 0; l < L; l++) {
      for (let i = 0; i < F; i++) {
        const w = new Float64Array(d);
        for (let s = 0; s < decoderSlots(set, l); s++) decoderRow(set, l, i, s).forEach((x, j) => (w[j]! += x));
        const mean = w.reduce((s, x) => s + x, 0) / d; // GPT-2's final LayerNorm centres
        const effect = Array.from({ length: V }, (_, v) => {
          let s = 0;
          for (let j = 0; j < d; j++) s += (w[j]! - mean) * model.ln_f.w.data[j]! * model.W_U.data[j * V + v]!;
          return s;
        });
        const order = effect.map((value, id) => ({ id, value })).sort((a, b) => b.value - a.value || a.id - b.id);
        const r = records.get(l)![i]!;
        expect(r.top_logit_ids).toEqual(order.slice(0, 5).map((e) => e.id));
        expect(r.bottom_logit_ids).toEqual(
          order
            .slice(-5)
            .reverse()
            .map((e) => e.id),
        );
        expectClose(
          `L${l} f${i} top logit values`,
          r.top_logit_values,
          order.slice(0, 5).map((e) => e.value),
          1e-12,
          1e-4,
        );
        expect(r.top_logits).toEqual(r.top_logit_ids.map((id) => tokenizer.decodeOne(id)));
      }
    }
  });

  it("every record reads back by byte range and per-feature file, and validates against Neuronpedia's feature-details schema (interop)", () => {
    const validate = SCHEMA ? new Ajv({ allErrors: true }).compile(SCHEMA) : null;
    const index = readDashboardIndex(outDir);
    expect(index.map((e) => [e.layer, e.filename, e.offsets.length])).toEqual(
      Array.from({ length: L }, (_, l) => [l, `layer_${l}.bin`, F + 1]),
    );
    for (let l = 0; l < L; l++) {
      for (let i = 0; i < F; i++) {
        const r = records.get(l)![i]!;
        if (validate) expect(validate(r), JSON.stringify(validate.errors)).toBe(true);
        expect(r.index).toBe(cantorPair(l, i));
        expect(readFeatureDashboard(outDir, l, i, index)).toEqual(r);
        expect(JSON.parse(readFileSync(join(outDir, "features", `${r.index}.json`), "utf8"))).toEqual(r);
      }
    }
  });
});

describe("streaming statistics", () => {
  it("a widening stream: histogram counts stay exact through range doublings, top-K is the K largest, reservoirs stay in their intervals", () => {
    const rand = makeRandom(11);
    const sizes = { topK: 5, quantiles: 4, perQuantile: 3, bins: 8 };
    const stats = new LayerFeatureStats(1, sizes, makeRandom(12));
    const maxima: number[] = [];
    for (let w = 0; w < 300; w++) {
      const a = new Float64Array(4); // T = 4, F = 1; position 0 is BOS
      for (let p = 1; p < 4; p++) a[p] = rand() < 0.3 ? 0 : rand() * (1 + w / 10) * (rand() < 0.1 ? -1 : 1);
      stats.observeWindow(w, a, 4);
      const m = Math.max(...Array.from(a.subarray(1)).filter((v) => v !== 0));
      maxima.push(Number.isFinite(m) ? m : NaN);
    }
    const hist = stats.histogram(0);
    expect(hist.counts.reduce((s, c) => s + c, 0)).toBe(stats.count[0]);
    expect(stats.hi[0]).toBeGreaterThan(16); // grew from the first value's power of two by doubling
    const expectedTop = maxima
      .map((act, window) => ({ act, window }))
      .filter((e) => !Number.isNaN(e.act))
      .sort((a, b) => b.act - a.act || a.window - b.window)
      .slice(0, 5);
    expect(stats.topExamples(0).map((e) => e.window)).toEqual(expectedTop.map((e) => e.window));
    let seen = 0;
    for (let q = 0; q < sizes.quantiles; q++) {
      const { lo, hi, seen: n, examples } = stats.intervalExamples(0, q);
      seen += n;
      expect(examples.length).toBe(Math.min(n, sizes.perQuantile));
      for (const e of examples) expect(e.act >= lo && e.act < hi && maxima[e.window] === e.act).toBe(true);
    }
    expect(seen).toBe(maxima.filter((m) => m > 0).length);
  });
});

describe("the dashboards command", () => {
  it("writes the layer files, the index and the metadata, with progress on stderr", () => {
    const modelDir = makeTempDir("dash-cli-model"),
      tcDir = makeTempDir("dash-cli-tc"),
      outDir = makeTempDir("dash-cli-out");
    writeTinyModel(modelDir, { arch: "gpt2", n_layers: 2, d_model: 16, n_heads: 2, d_mlp: 32, seed: 311 });
    writeTinyTranscoders(tcDir, {
      kind: "transcoder_set",
      n_layers: 2,
      d_model: 16,
      d_transcoder: 24,
      activation: "jumprelu",
      feature_input_hook: "ln2.hook_normalized",
      feature_output_hook: "hook_mlp_out",
      seed: 312,
    });
    const corpus = writeCorpus(makeTempDir("dash-cli-corpus"), 313);
    const run = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        "gpu-worker/src/cli.ts",
        "dashboards",
        "--model",
        modelDir,
        "--transcoders",
        tcDir,
        "--corpus",
        corpus,
        "--out",
        outDir,
        "--max-windows",
        "12",
        "--window-tokens",
        "8",
        "--device",
        "cpu",
      ],
      { encoding: "utf8", timeout: 60_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/dashboards pass 1 \[#+\] 12\/12/);
    expect(run.stderr).toMatch(/corpus: 12 windows × 8 tokens/);
    const meta = JSON.parse(readFileSync(join(outDir, "dashboards.json"), "utf8"));
    expect(meta).toMatchObject({
      format: { name: "circuitboard-feature-dashboards", version: 1 },
      n_windows: 12,
      window_tokens: 8,
      n_tokens_per_layer: 12 * 7,
      engine: "onnx/cpu",
    });
    expect(existsSync(join(outDir, "features"))).toBe(false);
    const r = readFeatureDashboard(outDir, 1, 3);
    expect(r).toMatchObject({ layer: 1, feature: 3, index: cantorPair(1, 3), transcoder_id: "tiny-transcoder_set" });
    const bad = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        "gpu-worker/src/cli.ts",
        "dashboards",
        "--model",
        modelDir,
        "--transcoders",
        tcDir,
        "--corpus",
        corpus,
        "--out",
        outDir,
        "--quantiles",
        "3",
      ],
      { encoding: "utf8", timeout: 60_000 },
    );
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/--quantiles: expected a power of two, got "3"/);
  });
});
