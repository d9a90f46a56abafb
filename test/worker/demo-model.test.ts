/**
 * The committed demo model, loaded exactly as a Hugging Face checkpoint is (same loaders, same engine):
 *  - its tokenizer and forward pass reproduce the logits recorded at training time (PyTorch, float32);
 *  - issue 5's intervention acceptance on a real trained model: ablating the feature with the largest
 *    direct effect on the top logit lowers that logit's probability, and the graph's edge predicts the
 *    sign and rough size of the change.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createAttributionEngine } from "~/gpu-worker/src/engine/attribution-engine";
import { attribute, type AttributionGraph } from "~/gpu-worker/src/engine/attribution/attribute";
import { referenceForward } from "~/gpu-worker/src/engine/reference/reference-forward";
import { runIntervention, softmax } from "~/gpu-worker/src/interventions/intervene";
import { loadModelWeights } from "~/gpu-worker/src/models/load-model-weights";
import { ensureBos, loadTokenizer } from "~/gpu-worker/src/models/load-tokenizer";
import { loadTranscoderSet } from "~/gpu-worker/src/models/load-transcoder-set";

const MODEL_DIR = "gpu-worker/assets/circuitboard-demo-gpt2";
const TRANSCODERS_DIR = "gpu-worker/assets/circuitboard-demo-gpt2-transcoders";

interface RecordedPrompt {
  prompt: string;
  input_ids: number[];
  top5_ids: number[];
  top5_logits: number[];
  logits_at_ids: Record<string, number>;
}
const recorded = JSON.parse(readFileSync(join(MODEL_DIR, "reference-logits.json"), "utf8")) as {
  tolerance_hint: number;
  prompts: RecordedPrompt[];
};

const model = loadModelWeights(MODEL_DIR);
const tokenizer = loadTokenizer(MODEL_DIR);
const set = loadTranscoderSet(TRANSCODERS_DIR);
const hooks = { inputHook: set.feature_input_hook, outputHook: set.feature_output_hook };

describe("the demo model reproduces its training-time logits", () => {
  // The recording is float32 PyTorch; ours is float64: agreement to float32 rounding of a 4-layer model.
  const ATOL = 1e-3;
  for (const r of recorded.prompts) {
    it(`"${r.prompt}"`, () => {
      const ids = ensureBos(tokenizer.encode(r.prompt), tokenizer, model.config);
      expect(ids).toEqual(r.input_ids);
      const { logits } = referenceForward(model, ids, hooks);
      const top5 = Array.from(logits.keys())
        .sort((a, b) => logits[b]! - logits[a]!)
        .slice(0, 5);
      expect(top5).toEqual(r.top5_ids);
      const diffs = [
        ...r.top5_ids.map((id, k) => Math.abs(logits[id]! - r.top5_logits[k]!)),
        ...Object.entries(r.logits_at_ids).map(([id, v]) => Math.abs(logits[Number(id)]! - v)),
      ];
      expect(Math.max(...diffs), `max |Δlogit| over ${diffs.length} recorded values`).toBeLessThan(ATOL);
    });
  }
});

describe("intervention acceptance on the demo model", () => {
  const PROMPT = "The LORD is my shepherd; I shall not";
  let tokens: number[];
  let graph: AttributionGraph;
  beforeAll(async () => {
    tokens = ensureBos(tokenizer.encode(PROMPT), tokenizer, model.config);
    const engine = await createAttributionEngine("onnx", model, set, "cpu");
    try {
      graph = await attribute(engine, model, set, tokens, { maxFeatureNodes: null, batchSize: 256 });
    } finally {
      await engine.dispose();
    }
  });

  /**
   * The graph's prediction of the TOTAL effect of removing a feature on the logit: its direct edge plus
   * every path through downstream features. Edges are activation × gradient (A[g, f] = a_f · ∂pre_g/∂a_f),
   * so a path through g divides by a_g: T_f = A[L, f] + Σ_g (T_g / a_g) · A[g, f]. The graph is a DAG of
   * depth n_layers, so n_layers + 1 sweeps of back-substitution reach every path.
   */
  // Rows are the selected features (in selection order) then the logits; columns are nodes in canonical
  // order, active features first. total[f] is indexed by the active feature (column).
  function pathSum(g: AttributionGraph, logitRow: number): Float64Array {
    const N = g.n_nodes;
    const nActive = g.active.layer.length;
    const total = new Float64Array(nActive);
    for (let sweep = 0; sweep <= model.config.n_layers; sweep++) {
      for (let f = 0; f < nActive; f++) {
        let t = g.rows[logitRow * N + f]!;
        g.selected.forEach((h, row) => (t += (total[h]! / g.active.activation[h]!) * g.rows[row * N + f]!));
        total[f] = t;
      }
    }
    return total;
  }

  it("ablating the top logit's strongest direct feature lowers it, as the edge predicts", () => {
    const M = graph.selected.length;
    const nActive = graph.active.layer.length;
    expect(M).toBe(nActive); // every active feature has its own row
    const target = graph.logitTargets[0]!.vocabIdx;
    // Row M is the top logit; column f is active feature f's direct effect on it.
    const edgeFrom = (f: number) => graph.rows[M * graph.n_nodes + f]!;
    let best = 0;
    for (let f = 1; f < nActive; f++) if (edgeFrom(f) > edgeFrom(best)) best = f;
    const w = edgeFrom(best);
    expect(w).toBeGreaterThan(0);
    const clamp = {
      layer: graph.active.layer[best]!,
      pos: graph.active.pos[best]!,
      feature: graph.active.index[best]!,
      value: 0,
    };
    const deMeaned = (z: Float64Array) => z[target]! - z.reduce((a, b) => a + b, 0) / z.length;
    const predicted = pathSum(graph, M)[best]!;
    const changeIn = (mode: "direct" | "frozen-attention" | "recomputed") => {
      const r = runIntervention(model, set, tokens, [clamp], mode);
      expect(softmax(r.intervened.logits)[target]!, `${mode}: probability of the top logit`).toBeLessThan(
        softmax(r.clean.logits)[target]!,
      );
      return deMeaned(r.intervened.logits) - deMeaned(r.clean.logits);
    };
    // Everything downstream frozen: the change IS the direct edge.
    expect(changeIn("direct")).toBeCloseTo(-w, 4);
    // Attention and norms frozen, transcoder features free: the graph's path sum, up to features that
    // switch on or off (the linearisation's only error).
    const frozen = changeIn("frozen-attention");
    expect(
      -frozen / predicted,
      `frozen: Δ ${frozen.toFixed(4)} vs path sum ${predicted.toFixed(4)} (edge ${w.toFixed(4)})`,
    ).toBeGreaterThan(0.8);
    expect(-frozen / predicted, `frozen: Δ ${frozen.toFixed(4)} vs path sum ${predicted.toFixed(4)}`).toBeLessThan(
      1.25,
    );
    // The real model (attention, norms and MLPs all recomputed): the logit still falls. Its size is not
    // the graph's to predict: on this prompt the real model recovers about 90% of the loss (recomputed
    // norms and MLPs compensate), which is the self-repair attribution graphs are known not to capture.
    expect(Math.sign(changeIn("recomputed"))).toBe(-1);
  });
});
