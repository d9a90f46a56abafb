import { describe, expect, it } from "vitest";
import { createAttributionEngine } from "~/gpu-worker/src/engine/attribution-engine";
import { attribute } from "~/gpu-worker/src/engine/attribution/attribute";
import { graphScores } from "~/gpu-worker/src/engine/attribution/graph-scores";
import { pruneGraph } from "~/gpu-worker/src/engine/attribution/prune-graph";
import { loadModelWeights } from "~/gpu-worker/src/models/load-model-weights";
import { loadTranscoderSet } from "~/gpu-worker/src/models/load-transcoder-set";
import { expectClose } from "./helpers/check-close";
import { makeTempDir, writeTinyModel, writeTinyTranscoders } from "./helpers/tiny-model";

/**
 * The stored-rows pruning against a plain dense N × N transcription of reference §3.4/§3.5
 * (sort-based find_threshold, matrix–vector influence), on a real attribution graph.
 */
function denseReference(
  A: number[][],
  w: number[],
  nTokens: number,
  nLogits: number,
  nFeatures: number,
  nodeThreshold: number,
  edgeThreshold: number,
) {
  const N = A.length;
  const normalize = (M: number[][]) =>
    M.map((row) => {
      const s = row.reduce((a, b) => a + Math.abs(b), 0);
      return row.map((v) => Math.abs(v) / Math.max(s, 1e-10));
    });
  const influence = (Ah: number[][]) => {
    let v = [...w];
    const total = new Array(N).fill(0);
    for (let k = 0; k < 1000; k++) {
      const next = new Array(N).fill(0);
      for (let t = 0; t < N; t++) if (v[t] !== 0) for (let s = 0; s < N; s++) next[s] += v[t]! * Ah[t]![s]!;
      if (next.every((x) => x === 0)) break;
      next.forEach((x, s) => (total[s] += x));
      v = next;
    }
    return total as number[];
  };
  const threshold = (values: number[], tau: number) => {
    const sorted = [...values].sort((a, b) => b - a);
    const total = sorted.reduce((a, b) => a + b, 0);
    let c = 0;
    for (const v of sorted) if ((c += v) / total >= tau) return v;
    return sorted[sorted.length - 1]!;
  };
  const Ah = normalize(A);
  const infl = influence(Ah);
  const cut = threshold(infl, nodeThreshold);
  const nodeMask = infl.map((v, i) => i >= N - nTokens - nLogits || v >= cut);
  const Ap = A.map((row, t) => row.map((v, s) => (nodeMask[t] && nodeMask[s] ? v : 0)));
  const Aph = normalize(Ap);
  const inflp = influence(Aph).map((v, i) => v + w[i]!);
  const scores = Aph.map((row, t) => row.map((v) => v * inflp[t]!));
  const ecut = threshold(scores.flat(), edgeThreshold);
  const edgeMask = scores.map((row) => row.map((v) => v > 0 && v >= ecut));
  for (let changed = true; changed;) {
    changed = false;
    for (let i = 0; i < N - nTokens - nLogits; i++) {
      const hasOut = edgeMask.some((row) => row[i]);
      const hasIn = edgeMask[i]!.some(Boolean);
      if (nodeMask[i] && (!hasOut || (i < nFeatures && !hasIn))) ((nodeMask[i] = false), (changed = true));
    }
    for (let t = 0; t < N; t++) for (let s = 0; s < N; s++) if (!nodeMask[t] || !nodeMask[s]) edgeMask[t]![s] = false;
  }
  return { nodeMask, edgeMask, infl };
}

describe("pruneGraph on stored rows equals the dense transcription of §3.4", () => {
  for (const [nodeThreshold, edgeThreshold] of [
    [0.8, 0.98],
    [0.5, 0.7],
  ] as const) {
    it(`node ${nodeThreshold}, edge ${edgeThreshold}`, async () => {
      const L = 2,
        d = 8;
      const modelDir = makeTempDir("prune-model");
      const tcDir = makeTempDir("prune-tc");
      writeTinyModel(modelDir, {
        arch: "llama",
        n_layers: L,
        d_model: d,
        n_heads: 2,
        n_kv_heads: 1,
        d_mlp: 16,
        seed: 51,
      });
      writeTinyTranscoders(tcDir, {
        kind: "transcoder_set",
        n_layers: L,
        d_model: d,
        d_transcoder: 32,
        activation: "jumprelu",
        skip: true,
        feature_input_hook: "mlp.hook_in",
        feature_output_hook: "hook_mlp_out",
        seed: 52,
      });
      const model = loadModelWeights(modelDir);
      const set = loadTranscoderSet(tcDir);
      const engine = await createAttributionEngine("reference", model, set);
      const tokens = [1, 3, 4, 3, 2, 5, 3, 8];
      const g = await attribute(engine, model, set, tokens, { batchSize: 32, maxNLogits: 4, desiredLogitProb: 0.9 });
      const M = g.selected.length,
        K = g.logitTargets.length,
        N = g.n_nodes,
        T = tokens.length;
      const rowNode = Int32Array.from({ length: M + K }, (_, r) => (r < M ? r : N - K + (r - M)));
      const layout = { nFeatures: M, nErrors: L * T, nTokens: T, nLogits: K };
      const probs = g.logitTargets.map((t) => t.prob);
      const got = pruneGraph({ N, rowNode, rows: g.rows }, layout, probs, nodeThreshold, edgeThreshold);

      const A: number[][] = Array.from({ length: N }, () => new Array(N).fill(0));
      rowNode.forEach((node, r) => (A[node] = Array.from(g.rows.subarray(r * N, (r + 1) * N))));
      const w = new Array(N).fill(0);
      probs.forEach((p, k) => (w[N - K + k] = p));
      const want = denseReference(A, w, T, K, M, nodeThreshold, edgeThreshold);

      expectClose("influence", got.influence, want.infl, 1e-9, 1e-5);
      expect(Array.from(got.nodeMask, Boolean)).toEqual(want.nodeMask);
      const gotEdges: boolean[] = [],
        wantEdges: boolean[] = [];
      rowNode.forEach((node, r) => {
        for (let s = 0; s < N; s++)
          (gotEdges.push(got.edgeMask[r * N + s] === 1), wantEdges.push(want.edgeMask[node]![s]!));
      });
      expect(gotEdges).toEqual(wantEdges);
      expect(gotEdges.filter(Boolean).length).toBeGreaterThan(0);
      expect(
        want.nodeMask.filter((k) => !k).length,
        "some nodes must be pruned for the test to mean anything",
      ).toBeGreaterThan(0);

      const scores = graphScores({ N, rowNode, rows: g.rows }, layout, probs);
      expect(scores.replacement).toBeGreaterThan(0);
      expect(scores.replacement).toBeLessThanOrEqual(1);
      expect(scores.completeness).toBeGreaterThan(0);
      expect(scores.completeness).toBeLessThanOrEqual(1);
    });
  }
});
