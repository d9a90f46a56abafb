import type { ModelWeights } from "../../models/model-weights";
import { encoderRow, prefetchDecoderRows, type TranscoderSet } from "../../models/transcoder-set";
import type { AttributionEngine } from "../attribution-engine";
import { buildAdjointSources } from "./adjoint-sources";
import { computeErrorVectors, encodeActiveFeatures, type ActiveFeatures } from "./active-features";
import { computeRows, type RowTarget } from "./compute-rows";
import { selectLogitTargets } from "./logit-targets";
import { partialInfluence } from "./partial-influence";
import { RowBuffer } from "./row-buffer";

/**
 * Attribution for one prompt, in circuit-tracer's phases (reference §2.0, §2.7, §2.8):
 *   0 precompute: clean forward, sparse features, errors, token vectors
 *   1 frozen caches for the adjoint (patterns, norm scales) — already in the forward cache
 *   2 logit targets
 *   3 logit rows
 *   4 feature rows (all, or influence-ordered up to maxFeatureNodes, re-ranked every updateInterval batches)
 *   5 packaging: only the (M + K) computed rows over the N-node canonical order, never N × N
 * Shape letters: L n_layers, T tokens, d d_model, n n_act, M selected features, K logit targets,
 * N = M + L·T + T + K nodes.
 */
export interface AttributeOptions {
  maxNLogits: number;
  desiredLogitProb: number;
  batchSize: number;
  maxFeatureNodes: number | null; // null: every active feature
  updateInterval: number;
  /**
   * Called at least once per batch. Phases: "forward" (phase 0), "logits" (logit rows), "features"
   * (feature rows); generateGraph adds "pruning". `done`/`total` count batches within the phase.
   */
  onProgress?: (p: { phase: string; done: number; total: number }) => void;
  /** Checked before each batch: an aborted signal stops the run with signal.reason (or an AbortError). */
  signal?: AbortSignal;
  log?: (line: string) => void;
}

/** Throws the signal's reason (an AbortError when none was given) if it has been aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  throw signal.reason ?? new DOMException("attribution aborted", "AbortError");
}

/** Lets timers (the lease heartbeat) and I/O run between batches of a long JavaScript phase. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export const DEFAULT_ATTRIBUTE_OPTIONS: AttributeOptions = {
  maxNLogits: 10,
  desiredLogitProb: 0.95,
  batchSize: 256,
  maxFeatureNodes: null,
  updateInterval: 4,
};

export interface AttributionGraph {
  tokens: number[]; // [T]
  n_layers: number;
  active: ActiveFeatures; // all n_act active features
  selected: Int32Array; // [M] indices into `active`, ascending
  logitTargets: { vocabIdx: number; prob: number }[]; // [K]
  /** rows[r · N + s] = A[target r, source s]; r < M: feature selected[r]; r ≥ M: logit r − M. [(M + K), N] */
  rows: Float32Array;
  n_nodes: number; // N
}

export async function attribute(
  engine: AttributionEngine,
  model: ModelWeights,
  set: TranscoderSet,
  tokens: number[],
  options: Partial<AttributeOptions> = {},
): Promise<AttributionGraph> {
  const o = { ...DEFAULT_ATTRIBUTE_OPTIONS, ...options };
  const log = o.log ?? (() => {});
  const progress = o.onProgress ?? (() => {});
  const L = model.config.n_layers;
  const T = tokens.length;
  if (set.n_layers !== L || set.d_model !== model.config.d_model) {
    throw new Error(
      `attribute: transcoders (${set.n_layers} layers, d_model ${set.d_model}) do not fit the model (${L} layers, d_model ${model.config.d_model})`,
    );
  }
  const timed = async <R>(phase: string, run: () => Promise<R> | R): Promise<R> => {
    const started = performance.now();
    log(`phase ${phase}: start`);
    const r = await run();
    log(`phase ${phase}: done in ${((performance.now() - started) / 1000).toFixed(3)} s`);
    return r;
  };

  const checkpoint = async (phase: string, done: number, total: number) => {
    throwIfAborted(o.signal);
    progress({ phase, done, total });
    await yieldToEventLoop();
    throwIfAborted(o.signal);
  };

  // Phase 0: clean forward pass, sparse activations, error and token vectors.
  await checkpoint("forward", 0, 1);
  const { cache, active, sources } = await timed("0 precompute", async () => {
    const cache = await engine.forward(tokens);
    const pass = await engine.transcoders(cache);
    const active = encodeActiveFeatures(set, pass, T);
    prefetchDecoderRows(set, active.layer, active.index); // one sorted read per layer of lazy decoders
    const errors = computeErrorVectors(set, cache, pass, active);
    return { cache, active, sources: buildAdjointSources(set, cache, active, errors) };
  });
  await checkpoint("forward", 1, 1);
  const n_act = active.layer.length;
  const nCols = n_act + (L + 1) * T; // features, errors, tokens (logit columns are always empty)
  log(`${n_act} active features, ${T} tokens, ${L} layers`);

  // Phases 1–2: the runner binds the frozen caches once; targets come from the clean logits.
  const runner = engine.adjoint(cache, sources);
  const targets = selectLogitTargets(model, cache.logits, o.maxNLogits, o.desiredLogitProb);
  const K = targets.length;
  const M = Math.min(o.maxFeatureNodes ?? n_act, n_act);
  const B = o.batchSize;
  const phaseBatches = { logits: Math.ceil(K / B), features: Math.ceil(M / B) };
  const batchesDone = { logits: 0, features: 0 };
  const rows = new RowBuffer(K + M, nCols); // node: feature index, or nCols + k for logit k
  const runBatch = async (phase: "logits" | "features", batch: RowTarget[], nodes: number[]) => {
    await checkpoint(phase, batchesDone[phase], phaseBatches[phase]);
    await computeRows(runner, sources, batch, nodes, rows, n_act, L, T);
    progress({ phase, done: ++batchesDone[phase], total: phaseBatches[phase] });
  };

  try {
    // Phase 3: logit rows, injected at the final-norm output of the last position.
    await timed("3 logit rows", async () => {
      for (let k0 = 0; k0 < K; k0 += B) {
        const chunk = targets.slice(k0, k0 + B);
        await runBatch(
          "logits",
          chunk.map((t) => ({ layer: L, pos: T - 1, vec: t.vec })),
          chunk.map((_, i) => nCols + k0 + i),
        );
      }
    });

    // Phase 4: feature rows, injecting each feature's raw encoder row at its own input.
    const featureTarget = (f: number): RowTarget => ({
      layer: active.layer[f]!,
      pos: active.pos[f]!,
      vec: encoderRow(set, active.layer[f]!, active.index[f]!),
    });
    const visited = new Uint8Array(n_act);
    await timed("4 feature rows", async () => {
      let done = 0;
      while (done < M) {
        let queue: number[];
        if (M === n_act) queue = Array.from({ length: n_act }, (_, f) => f);
        else {
          const influence = partialInfluence(
            rows,
            targets.map((t) => t.prob),
            (f) => active.layer[f]!,
          );
          queue = Array.from({ length: n_act }, (_, f) => f)
            .filter((f) => !visited[f])
            .sort((a, b) => influence[b]! - influence[a]! || a - b)
            .slice(0, Math.min(o.updateInterval * B, M - done))
            // Same rows either way, but batches of nearby (layer, pos) let the adjoint skip the
            // layers above and the positions after their targets.
            .sort((a, b) => a - b);
        }
        for (let i = 0; i < queue.length; i += B) {
          const chunk = queue.slice(i, i + B);
          chunk.forEach((f) => (visited[f] = 1));
          await runBatch("features", chunk.map(featureTarget), chunk);
        }
        done += queue.length;
      }
    });
  } finally {
    await runner.dispose();
  }

  // Phase 5: pack the computed rows into the final node order (reference §2.8).
  return timed("5 packaging", () => {
    const R = rows.count;
    const rowNode = rows.node.subarray(0, R);
    const selected = Int32Array.from(rowNode.filter((n) => n < n_act)).sort();
    const N = M + (L + 1) * T + K;
    const packed = new Float32Array((M + K) * N); // ((M + K), N)
    let featureRow = 0;
    const rowOfFeature = new Int32Array(n_act).fill(-1);
    selected.forEach((f, i) => (rowOfFeature[f] = i));
    for (let r = 0; r < R; r++) {
      const node = rowNode[r]!;
      const outRow = node < n_act ? rowOfFeature[node]! : M + (node - nCols);
      if (node < n_act) featureRow++;
      const row = rows.row(r);
      const out = packed.subarray(outRow * N, (outRow + 1) * N);
      // Edges from features without their own row are dropped, not folded into errors (reference §2.8).
      for (let i = 0; i < M; i++) out[i] = row[selected[i]!]!;
      out.set(row.subarray(n_act, nCols), M);
    }
    if (featureRow !== M) throw new Error(`attribute: ${featureRow} feature rows computed, expected ${M}`);
    return {
      tokens,
      n_layers: L,
      active,
      selected,
      logitTargets: targets.map((t) => ({ vocabIdx: t.vocabIdx, prob: t.prob })),
      rows: packed,
      n_nodes: N,
    };
  });
}
