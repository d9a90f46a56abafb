import type { ActivationFunction } from "./activation-function";
import type { Tensor } from "./tensor";

/**
 * Transcoders in memory (reference §1.2, §1.3). Shape letters: L n_layers, F d_transcoder,
 * d d_model. One TranscoderLayer per source layer l.
 */
export interface TranscoderLayer {
  /** Lazily loaded sets read it from the file when a session is built (tensorValues), keeping no copy. */
  W_enc: Tensor; // [F, d]   row i = encoder vector of feature i
  /** Lazily loaded sets: W_enc's rows read on demand (the attribution targets), instead of W_enc.data. */
  encoderRows?: DecoderRows;
  b_enc: Tensor; // [F]
  /**
   * PLT: [F, d]. CLT: [F, L - l, d], slot k writes to output layer l + k. Read row by row
   * (lazily from the file by default): a large CLT's decoders do not fit in memory, and
   * attribution only needs the active features' rows (circuit-tracer's lazy_decoder).
   */
  W_dec: DecoderRows;
  /** Decoder bias of output layer l (a constant of the linear model, never a node). */
  b_dec: Tensor; // [d]
  /**
   * Skip connection in x @ W layout: skip(x) = x @ W_skip. The PLT file stores W_skip so that
   * skip = x · W_skipᵀ; the loader transposes it here so one convention holds downstream.
   */
  W_skip: Tensor | null; // [d, d]
  activation: ActivationFunction;
}

export interface DecoderRows {
  shape: number[]; // [F, d] or [F, L − l, d]
  /** Feature i's decoder vectors, [slots · d]. */
  row(i: number): Float32Array;
  /**
   * Makes the listed rows cheap to get with row(): a lazy reader fetches them in one ascending pass
   * over the file (runs of neighbours in one read) and keeps only them, dropping earlier ones.
   */
  prefetch(indices: ArrayLike<number>): void;
}

/** Decoder rows held in memory. */
export function eagerDecoderRows(t: Tensor): DecoderRows {
  const width = t.data.length / t.shape[0]!;
  return { shape: t.shape, row: (i) => t.data.subarray(i * width, (i + 1) * width), prefetch: () => {} };
}

/** Rows kept by a lazy reader between prefetches before its cache is emptied (a bound on memory). */
const LAZY_ROW_CACHE_LIMIT = 65_536;

/**
 * Decoder rows read on demand: `readSet(ascending distinct indices)` returns them packed
 * [indices.length, width]. Only the rows of the current prompt are kept.
 */
export function lazyDecoderRows(shape: number[], readSet: (indices: Int32Array) => Float32Array): DecoderRows {
  const width = shape.slice(1).reduce((a, b) => a * b, 1);
  let cache = new Map<number, Float32Array>();
  return {
    shape,
    row(i) {
      let r = cache.get(i);
      if (!r) {
        if (cache.size >= LAZY_ROW_CACHE_LIMIT) cache = new Map();
        cache.set(i, (r = readSet(Int32Array.of(i))));
      }
      return r;
    },
    prefetch(indices) {
      const wanted = Int32Array.from(new Set(Array.from(indices))).sort();
      const next = new Map<number, Float32Array>();
      const missing = wanted.filter((i) => {
        const have = cache.get(i);
        if (have) next.set(i, have);
        return !have;
      });
      const packed = missing.length > 0 ? readSet(missing) : new Float32Array(0);
      missing.forEach((i, k) => next.set(i, packed.subarray(k * width, (k + 1) * width)));
      cache = next;
    },
  };
}

/** One sorted read per layer of the decoder rows of these (layer, index) features, before they are used. */
export function prefetchDecoderRows(set: TranscoderSet, layer: ArrayLike<number>, index: ArrayLike<number>): void {
  const perLayer: number[][] = set.layers.map(() => []);
  for (let f = 0; f < layer.length; f++) perLayer[layer[f]!]!.push(index[f]!);
  perLayer.forEach((indices, l) => set.layers[l]!.W_dec.prefetch(indices));
}

/** Hook names as circuit-tracer's config.yaml spells them (TransformerLens style, reference §1.5). */
export type FeatureInputHook = "hook_resid_mid" | "ln2.hook_normalized" | "mlp.hook_in";
export type FeatureOutputHook = "hook_mlp_out" | "mlp.hook_out";

export interface TranscoderSet {
  kind: "transcoder_set" | "cross_layer_transcoder";
  n_layers: number;
  d_model: number;
  d_transcoder: number;
  feature_input_hook: FeatureInputHook;
  feature_output_hook: FeatureOutputHook;
  /** Transcoder-set identifier written to graph metadata (reference §4.4). */
  scan: string;
  model_name: string | null;
  layers: TranscoderLayer[];
}

/** Number of output layers a feature of source layer l writes to: 1 for PLTs, L - l for CLTs. */
export function decoderSlots(set: TranscoderSet, l: number): number {
  return set.kind === "transcoder_set" ? 1 : set.n_layers - l;
}

/** The decoder vector of feature i (source layer l) into output layer l + slot: a view, [d]. */
export function decoderRow(set: TranscoderSet, l: number, i: number, slot: number): Float32Array {
  const d = set.d_model;
  return set.layers[l]!.W_dec.row(i).subarray(slot * d, (slot + 1) * d);
}

/** The raw encoder row of feature i at layer l, [d]. */
export function encoderRow(set: TranscoderSet, l: number, i: number): Float32Array {
  const d = set.d_model;
  const layer = set.layers[l]!;
  if (layer.encoderRows) return layer.encoderRows.row(i);
  return layer.W_enc.data.subarray(i * d, (i + 1) * d);
}
