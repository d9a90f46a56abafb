import { spawnSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { createAttributionEngine } from "~/gpu-worker/src/engine/attribution-engine";
import { attribute, type AttributionGraph } from "~/gpu-worker/src/engine/attribution/attribute";
import { referenceForward } from "~/gpu-worker/src/engine/reference/reference-forward";
import { referenceTranscoderPass } from "~/gpu-worker/src/engine/reference/reference-transcoder-pass";
import { layerActivations } from "~/gpu-worker/src/features/build-feature-dashboards";
import {
  generateWithIntervention,
  runIntervention,
  softmax,
  topTokens,
  type FeatureClamp,
  type InterventionMode,
} from "~/gpu-worker/src/interventions/intervene";
import { parseInterventionSpecs } from "~/gpu-worker/src/interventions/parse-intervention-specs";
import { loadModelWeights } from "~/gpu-worker/src/models/load-model-weights";
import { loadTranscoderSet } from "~/gpu-worker/src/models/load-transcoder-set";
import type { ModelWeights } from "~/gpu-worker/src/models/model-weights";
import type { TranscoderSet } from "~/gpu-worker/src/models/transcoder-set";
import { expectClose } from "./helpers/check-close";
import { makeTempDir, writeTinyModel, writeTinyTranscoders, type TinyTranscoderSpec } from "./helpers/tiny-model";

/**
 * Interventions against the attribution graph of the same prompt (float64 reference engine, every
 * active feature given a row). A logit node's value is the de-meaned logit z_t − mean(z) (reference
 * §2.2), and an edge A[logit, f] is feature f's direct contribution, so removing f moves that value
 * by −A[logit, f] along direct paths.
 */
const MODES: InterventionMode[] = ["recomputed", "frozen-attention", "direct"];
const PROMPT = [1, 2, 5, 9, 3, 3, 7];

interface Fixture {
  model: ModelWeights;
  set: TranscoderSet;
  graph: AttributionGraph;
}

async function makeFixture(
  seed: number,
  transcoders: Omit<TinyTranscoderSpec, "seed" | "n_layers" | "d_model" | "d_transcoder" | "feature_output_hook">,
): Promise<Fixture> {
  const modelDir = makeTempDir("iv-model"),
    tcDir = makeTempDir("iv-tc");
  writeTinyModel(modelDir, { arch: "gpt2", n_layers: 3, d_model: 16, n_heads: 2, d_mlp: 32, seed });
  writeTinyTranscoders(tcDir, {
    ...transcoders,
    n_layers: 3,
    d_model: 16,
    d_transcoder: 32,
    feature_output_hook: "hook_mlp_out",
    seed: seed + 1,
  });
  const model = loadModelWeights(modelDir),
    set = loadTranscoderSet(tcDir);
  const graph = await attribute(await createAttributionEngine("reference", model, set), model, set, PROMPT, {
    maxFeatureNodes: null,
    batchSize: 64,
  });
  expect(graph.selected.length).toBe(graph.active.layer.length); // every feature has a row and a column
  return { model, set, graph };
}

/** z_t − mean(z), the logit node's value. */
function deMeaned(z: ArrayLike<number>, t: number): number {
  let mean = 0;
  for (let v = 0; v < z.length; v++) mean += z[v]!;
  return z[t]! - mean / z.length;
}

/** A[target row, source column] of the graph; rows are the M features then the K logits. */
function edge(g: AttributionGraph, row: number, column: number): number {
  return g.rows[row * g.n_nodes + column]!;
}

function ablationOf(g: AttributionGraph, f: number): FeatureClamp {
  return { layer: g.active.layer[f]!, pos: g.active.pos[f]!, feature: g.active.index[f]!, value: 0 };
}

const SETS = [
  {
    name: "per-layer JumpReLU with skip",
    seed: 411,
    transcoders: {
      kind: "transcoder_set" as const,
      activation: "jumprelu" as const,
      skip: true,
      feature_input_hook: "ln2.hook_normalized",
    },
  },
  {
    name: "cross-layer JumpReLU",
    seed: 421,
    transcoders: {
      kind: "cross_layer_transcoder" as const,
      activation: "jumprelu" as const,
      feature_input_hook: "hook_resid_mid",
    },
  },
];

describe.each(SETS)("interventions ($name)", ({ seed, transcoders }) => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await makeFixture(seed, transcoders);
  });

  it.each(MODES)(
    "%s: no clamp, and clamps to the features' own clean values, reproduce the clean logits exactly",
    (mode) => {
      const { model, set, graph: g } = fx;
      const clean = referenceForward(model, PROMPT, {
        inputHook: set.feature_input_hook,
        outputHook: set.feature_output_hook,
      }).logits;
      expect(runIntervention(model, set, PROMPT, [], mode).intervened.logits).toEqual(clean);
      // One feature per layer, at its own activation.
      // One feature per layer, clamped to its own clean activation (float64, as the run computes it).
      const targets = [0, 1, 2]
        .map((l) => g.active.layer.indexOf(l))
        .filter((f) => f >= 0)
        .map((f) => ablationOf(g, f));
      expect(targets.length).toBeGreaterThan(1);
      const own = runIntervention(model, set, PROMPT, targets, mode).cleanValues;
      expectClose(
        "clean values vs graph activations",
        own,
        targets.map(
          (c) =>
            g.active.activation[
              g.active.layer.findIndex(
                (l, f) => l === c.layer && g.active.pos[f] === c.pos && g.active.index[f] === c.feature,
              )
            ]!,
        ),
        1e-6,
        1e-5,
      );
      expect(
        runIntervention(
          model,
          set,
          PROMPT,
          targets.map((c, k) => ({ ...c, value: own[k]! })),
          mode,
        ).intervened.logits,
      ).toEqual(clean);
    },
  );

  it("direct: ablating any feature moves every logit node by minus its edge (atol 1e-6, rtol 1e-5: the graph stores float32)", () => {
    const { model, set, graph: g } = fx;
    const M = g.selected.length;
    const got: number[] = [],
      want: number[] = [];
    for (let f = 0; f < M; f++) {
      const r = runIntervention(model, set, PROMPT, [ablationOf(g, f)], "direct");
      g.logitTargets.forEach((t, k) => {
        got.push(deMeaned(r.intervened.logits, t.vocabIdx) - deMeaned(r.clean.logits, t.vocabIdx));
        want.push(-edge(g, M + k, f));
      });
    }
    expectClose("Δ de-meaned logits vs −A[logit, feature]", got, want, 1e-6, 1e-5);
  });

  it("frozen attention (atol 1e-6, rtol 1e-5): the change equals the direct edge for top-layer features and the graph's path sum whenever no feature crosses its threshold", () => {
    const { model, set, graph: g } = fx;
    const M = g.selected.length,
      F = set.d_transcoder,
      T = PROMPT.length;
    const cleanCache = referenceForward(model, PROMPT, {
      inputHook: set.feature_input_hook,
      outputHook: set.feature_output_hook,
    });
    const pass = referenceTranscoderPass(set, cleanCache);
    const cleanActs = [0, 1, 2].map((l) => layerActivations(set, pass.pre, l, T));
    const a = (f: number) => g.active.activation[f]!;
    let nExact = 0,
      nTopLayer = 0;
    const t = g.logitTargets[0]!.vocabIdx;
    for (let s0 = 0; s0 < M; s0++) {
      const r = runIntervention(model, set, PROMPT, [ablationOf(g, s0)], "frozen-attention");
      const dz = deMeaned(r.intervened.logits, t) - deMeaned(r.clean.logits, t);
      if (g.active.layer[s0] === 2) {
        expectClose(`top-layer feature ${s0}`, [dz], [-edge(g, M, s0)], 1e-6, 1e-5);
        nTopLayer++;
      }
      // Propagate Δa through the feature rows: a JumpReLU feature that stays on moves with its pre-activation.
      const da = new Float64Array(M);
      da[s0] = -a(s0);
      for (let f = s0 + 1; f < M; f++)
        for (let s = s0; s < f; s++) if (da[s] !== 0) da[f]! += (edge(g, f, s) / a(s)) * da[s]!;
      let predicted = 0;
      for (let s = 0; s < M; s++) predicted += (edge(g, M, s) / a(s)) * da[s]!;
      // Valid when the active set is unchanged: same nonzero (pos, feature) at every recomputed layer.
      const isSameActiveSet = [...r.activations].every(([l, acts]) =>
        acts.every(
          (v, k) =>
            (v !== 0) === (cleanActs[l]![k]! !== 0) ||
            (l === g.active.layer[s0] && k === g.active.pos[s0]! * F + g.active.index[s0]!),
        ),
      );
      if (isSameActiveSet) {
        expectClose(`feature ${s0}: frozen Δ vs path sum`, [dz], [predicted], 1e-6, 1e-5);
        nExact++;
      }
    }
    expect(nTopLayer).toBeGreaterThan(0);
    expect(nExact).toBeGreaterThan(M / 4);
  });

  it("acceptance: ablating the feature with the largest direct effect on the top logit lowers its probability, and the edge predicts the sign and rough size", () => {
    const { model, set, graph: g } = fx;
    const M = g.selected.length;
    const t = g.logitTargets[0]!.vocabIdx;
    let best = 0;
    for (let f = 1; f < M; f++) if (edge(g, M, f) > edge(g, M, best)) best = f;
    const w = edge(g, M, best);
    expect(w).toBeGreaterThan(0);
    for (const mode of ["frozen-attention", "recomputed"] as const) {
      const r = runIntervention(model, set, PROMPT, [ablationOf(g, best)], mode);
      expect(softmax(r.intervened.logits)[t]!, mode).toBeLessThan(softmax(r.clean.logits)[t]!);
      const dz = deMeaned(r.intervened.logits, t) - deMeaned(r.clean.logits, t);
      expect(Math.sign(dz), mode).toBe(-1);
      // "Rough size": within a factor of two of the edge (the rest is indirect paths and nonlinearity).
      expect(-dz / w, `${mode}: Δ ${dz} vs edge ${w}`).toBeGreaterThan(0.5);
      expect(-dz / w, `${mode}: Δ ${dz} vs edge ${w}`).toBeLessThan(2);
    }
  });
});

describe("generation and the command line", () => {
  let fx: Fixture;
  let modelDir: string, tcDir: string;
  beforeAll(async () => {
    modelDir = makeTempDir("iv-cli-model");
    tcDir = makeTempDir("iv-cli-tc");
    writeTinyModel(modelDir, { arch: "gpt2", n_layers: 3, d_model: 16, n_heads: 2, d_mlp: 32, seed: 411 });
    writeTinyTranscoders(tcDir, {
      kind: "transcoder_set",
      n_layers: 3,
      d_model: 16,
      d_transcoder: 32,
      activation: "jumprelu",
      feature_input_hook: "ln2.hook_normalized",
      feature_output_hook: "hook_mlp_out",
      seed: 412,
    });
    const model = loadModelWeights(modelDir),
      set = loadTranscoderSet(tcDir);
    fx = {
      model,
      set,
      graph: await attribute(await createAttributionEngine("reference", model, set), model, set, PROMPT, {
        maxFeatureNodes: null,
      }),
    };
  });

  it.each(MODES)(
    "%s: greedy generation follows the intervened logits, and equals the clean one without clamps",
    (mode) => {
      const { model, set, graph: g } = fx;
      const none = generateWithIntervention(model, set, PROMPT, [], mode, 4);
      expect(none.intervened).toEqual(none.clean);
      expect(none.clean).toHaveLength(4);
      const steer = { ...ablationOf(g, 0), value: 25 };
      const held = generateWithIntervention(model, set, PROMPT, [steer], mode, 3);
      expect(held.intervened[0]).toBe(
        topTokens(runIntervention(model, set, PROMPT, [steer], mode).intervened.logits, 1)[0]!.id,
      );
      expect(held.intervened[1]).toBe(
        topTokens(runIntervention(model, set, [...PROMPT, held.intervened[0]!], [steer], mode).intervened.logits, 1)[0]!
          .id,
      );
    },
  );

  it("rejects a clamp on BOS, out of range, or given twice, naming it", () => {
    const { model, set } = fx;
    expect(() => runIntervention(model, set, PROMPT, [{ layer: 0, pos: 0, feature: 1, value: 0 }], "direct")).toThrow(
      /0:0:1: position must be in 1–6 \(position 0 is BOS/,
    );
    expect(() => runIntervention(model, set, PROMPT, [{ layer: 3, pos: 1, feature: 1, value: 0 }], "direct")).toThrow(
      /3:1:1: layer must be in 0–2/,
    );
    expect(() =>
      runIntervention(
        model,
        set,
        PROMPT,
        [
          { layer: 0, pos: 1, feature: 1, value: 0 },
          { layer: 0, pos: 1, feature: 1, value: 2 },
        ],
        "direct",
      ),
    ).toThrow(/given twice/);
    expect(parseInterventionSpecs(["1:-1:5=2.5"], ["0:2:7"], 7)).toEqual([
      { layer: 1, pos: 6, feature: 5, value: 2.5, isAblation: false },
      { layer: 0, pos: 2, feature: 7, value: 0, isAblation: true },
    ]);
    expect(() => parseInterventionSpecs(["1:2:5"], [], 7)).toThrow(
      /--set "1:2:5": expected LAYER:POSITION:FEATURE=VALUE/,
    );
    expect(() => parseInterventionSpecs(["1:2:5=x"], [], 7)).toThrow(/VALUE must be a finite number, got "x"/);
  });

  it("`intervene` prints the clean and intervened top-k and both continuations as JSON", () => {
    const { graph: g } = fx;
    const f = g.active.layer.indexOf(1);
    const spec = `${g.active.layer[f]}:${g.active.pos[f]}:${g.active.index[f]}`;
    const run = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        "gpu-worker/src/cli.ts",
        "intervene",
        "--model",
        modelDir,
        "--transcoders",
        tcDir,
        "--prompt",
        "abeh cc",
        "--ablate",
        spec,
        "--set",
        "2:-1:4=3",
        "--frozen-attention",
        "--generate",
        "2",
        "--top-k",
        "3",
      ],
      { encoding: "utf8", timeout: 60_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.mode).toBe("frozen-attention");
    expect(out.tokens).toHaveLength(PROMPT.length);
    expect(out.interventions).toEqual([
      { layer: 2, position: 6, feature: 4, clean_activation: expect.any(Number), value: 3, ablate: false },
      {
        layer: g.active.layer[f],
        position: g.active.pos[f],
        feature: g.active.index[f],
        clean_activation: expect.closeTo(g.active.activation[f]!, 5),
        value: 0,
        ablate: true,
      },
    ]);
    expect(out.clean.top).toHaveLength(3);
    expect(out.intervened.top[0]).toEqual({
      id: expect.any(Number),
      token: expect.any(String),
      logit: expect.any(Number),
      prob: expect.any(Number),
    });
    expect(out.clean_top_after.map((t: { id: number }) => t.id)).toEqual(
      out.clean.top.map((t: { id: number }) => t.id),
    );
    expect(out.generation.clean.ids).toHaveLength(2);
    expect(out.generation.intervened.ids).toHaveLength(2);
    const bad = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        "gpu-worker/src/cli.ts",
        "intervene",
        "--model",
        modelDir,
        "--transcoders",
        tcDir,
        "--prompt",
        "ab",
        "--ablate",
        "0:9:1",
      ],
      { encoding: "utf8", timeout: 60_000 },
    );
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/intervention 0:9:1: position must be in 1–2/);
  });
});
