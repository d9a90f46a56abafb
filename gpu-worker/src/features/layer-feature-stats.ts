/**
 * Streaming statistics of every feature of one transcoder layer over a corpus, in memory that does
 * not grow with the corpus: O(F · (K + Q·S + 2B)). Shape letters: F d_transcoder, T window tokens,
 * K top examples, Q quantile intervals, S samples per interval, B histogram bins per sign.
 *
 * Per feature it keeps
 *   - count / sum / min / max over active tokens (activation ≠ 0) → density and the activation range;
 *   - a min-heap of the K windows with the largest per-window maximum ("Top activations"; one example
 *     per window, as Neuronpedia's dashboards show one context per sequence);
 *   - a histogram of every active token's activation on [0, hi) with B bins, and of negative values
 *     (TopK keeps negative pre-activations) on (−hiNeg, 0]. `hi` starts at the power of two above the
 *     first value and doubles when a larger one arrives, merging bins in pairs, so counts stay exact;
 *   - Q intervals on the same [0, hi), each with a reservoir of S windows whose maximum fell in it
 *     (Algorithm R); doubling merges reservoirs in pairs by drawing from each in proportion to how
 *     many windows it has seen, which keeps every reservoir a uniform sample of its interval.
 * Examples are (window, position, activation) references; the contexts are read in a second pass.
 */
import { ZERO_POSITIONS } from "../engine/attribution/active-features";

export interface DashboardSizes {
  topK: number; // K
  quantiles: number; // Q, a power of two ≤ B
  perQuantile: number; // S
  bins: number; // B, a power of two
}

export const DEFAULT_DASHBOARD_SIZES: DashboardSizes = { topK: 20, quantiles: 8, perQuantile: 5, bins: 32 };

export interface ExampleRef {
  window: number;
  pos: number;
  act: number;
}

export class LayerFeatureStats {
  readonly F: number;
  readonly sizes: DashboardSizes;
  n_tokens = 0; // positions seen (BOS excluded, reference §1.8)
  readonly count: Float64Array; // [F] active tokens
  readonly sum: Float64Array; // [F]
  readonly min: Float64Array; // [F] over active tokens
  readonly max: Float64Array; // [F]
  private readonly topAct: Float64Array; // [F, K] min-heap by activation
  private readonly topWin: Int32Array; // [F, K]
  private readonly topPos: Int32Array; // [F, K]
  private readonly topSize: Int32Array; // [F]
  readonly hi: Float64Array; // [F] upper edge of the positive histogram (0: no positive value yet)
  readonly histPos: Float64Array; // [F, B]
  readonly hiNeg: Float64Array; // [F]
  readonly histNeg: Float64Array; // [F, B]  bin k covers (−(k+1)·hiNeg/B, −k·hiNeg/B]
  private readonly resAct: Float64Array; // [F, Q, S]
  private readonly resWin: Int32Array; // [F, Q, S]
  private readonly resPos: Int32Array; // [F, Q, S]
  private readonly resSeen: Float64Array; // [F, Q] windows that fell in the interval
  private readonly resSize: Int32Array; // [F, Q]
  private readonly random: () => number;
  // Per-window scratch: the maximum of each feature over the current window.
  private readonly winMax: Float64Array; // [F]
  private readonly winArg: Int32Array; // [F]
  private readonly touched: Int32Array; // [F] features active in the current window
  private readonly isTouched: Uint8Array; // [F]

  constructor(F: number, sizes: DashboardSizes, random: () => number) {
    const { topK: K, quantiles: Q, perQuantile: S, bins: B } = sizes;
    if (!isPowerOfTwo(B) || !isPowerOfTwo(Q) || Q > B)
      throw new Error(
        `LayerFeatureStats: bins (${B}) and quantiles (${Q}) must be powers of two with quantiles ≤ bins`,
      );
    this.F = F;
    this.sizes = sizes;
    this.random = random;
    this.count = new Float64Array(F);
    this.sum = new Float64Array(F);
    this.min = new Float64Array(F).fill(Infinity);
    this.max = new Float64Array(F).fill(-Infinity);
    this.topAct = new Float64Array(F * K);
    this.topWin = new Int32Array(F * K);
    this.topPos = new Int32Array(F * K);
    this.topSize = new Int32Array(F);
    this.hi = new Float64Array(F);
    this.histPos = new Float64Array(F * B);
    this.hiNeg = new Float64Array(F);
    this.histNeg = new Float64Array(F * B);
    this.resAct = new Float64Array(F * Q * S);
    this.resWin = new Int32Array(F * Q * S);
    this.resPos = new Int32Array(F * Q * S);
    this.resSeen = new Float64Array(F * Q);
    this.resSize = new Int32Array(F * Q);
    this.winMax = new Float64Array(F);
    this.winArg = new Int32Array(F);
    this.touched = new Int32Array(F);
    this.isTouched = new Uint8Array(F);
  }

  /** One window's activations of this layer, a: [T, F] (after the activation function). */
  observeWindow(window: number, a: ArrayLike<number>, T: number): void {
    const F = this.F;
    let nTouched = 0;
    for (let p = ZERO_POSITIONS; p < T; p++) {
      for (let i = 0; i < F; i++) {
        const v = a[p * F + i]!;
        if (v === 0) continue;
        this.count[i]! += 1;
        this.sum[i]! += v;
        if (v < this.min[i]!) this.min[i] = v;
        if (v > this.max[i]!) this.max[i] = v;
        this.addToHistogram(i, v);
        if (!this.isTouched[i]) {
          this.isTouched[i] = 1;
          this.touched[nTouched++] = i;
          this.winMax[i] = v;
          this.winArg[i] = p;
        } else if (v > this.winMax[i]!) {
          this.winMax[i] = v;
          this.winArg[i] = p;
        }
      }
    }
    this.n_tokens += Math.max(0, T - ZERO_POSITIONS);
    for (let t = 0; t < nTouched; t++) {
      const i = this.touched[t]!;
      this.isTouched[i] = 0;
      this.offerTop(i, this.winMax[i]!, window, this.winArg[i]!);
      if (this.winMax[i]! > 0) this.offerInterval(i, this.winMax[i]!, window, this.winArg[i]!);
    }
  }

  /** The top examples of feature i, largest first (ties: earlier window first). */
  topExamples(i: number): ExampleRef[] {
    const K = this.sizes.topK;
    const out: ExampleRef[] = [];
    for (let k = 0; k < this.topSize[i]!; k++)
      out.push({ window: this.topWin[i * K + k]!, pos: this.topPos[i * K + k]!, act: this.topAct[i * K + k]! });
    return out.sort((a, b) => b.act - a.act || a.window - b.window);
  }

  /** Interval q of feature i: its bounds [lo, hi) and sampled windows (largest activation first). */
  intervalExamples(i: number, q: number): { lo: number; hi: number; seen: number; examples: ExampleRef[] } {
    const { quantiles: Q, perQuantile: S } = this.sizes;
    const width = this.hi[i]! / Q;
    const at = i * Q + q;
    const examples: ExampleRef[] = [];
    for (let s = 0; s < this.resSize[at]!; s++)
      examples.push({ window: this.resWin[at * S + s]!, pos: this.resPos[at * S + s]!, act: this.resAct[at * S + s]! });
    return {
      lo: q * width,
      hi: (q + 1) * width,
      seen: this.resSeen[at]!,
      examples: examples.sort((a, b) => b.act - a.act || a.window - b.window),
    };
  }

  /**
   * Feature i's histogram as counts with ascending bin edges: the negative bins (if any value was
   * negative), then the positive ones. Counts sum to count[i].
   */
  histogram(i: number): { edges: number[]; counts: number[] } {
    const B = this.sizes.bins;
    const edges: number[] = [],
      counts: number[] = [];
    if (this.hiNeg[i]! > 0) {
      const w = this.hiNeg[i]! / B;
      for (let k = B - 1; k >= 0; k--) (edges.push(-(k + 1) * w), counts.push(this.histNeg[i * B + k]!));
      edges.push(0);
    }
    if (this.hi[i]! > 0) {
      const w = this.hi[i]! / B;
      if (edges.length === 0) edges.push(0);
      for (let k = 0; k < B; k++) (edges.push((k + 1) * w), counts.push(this.histPos[i * B + k]!));
    }
    return { edges, counts };
  }

  private offerTop(i: number, act: number, window: number, pos: number): void {
    const K = this.sizes.topK;
    const base = i * K;
    let n = this.topSize[i]!;
    if (n < K) {
      // sift up
      let c = n;
      this.topSize[i] = ++n;
      while (c > 0) {
        const parent = (c - 1) >> 1;
        if (!isWorse(act, window, this.topAct[base + parent]!, this.topWin[base + parent]!)) break;
        this.moveTop(base, parent, c);
        c = parent;
      }
      this.setTop(base, c, act, window, pos);
      return;
    }
    if (isWorse(act, window, this.topAct[base]!, this.topWin[base]!)) return;
    // replace the root (the worst kept) and sift down
    let c = 0;
    for (;;) {
      const l = 2 * c + 1,
        r = l + 1;
      let m = c,
        mAct = act,
        mWin = window; // the worst of c's new value and its children
      if (l < K && isWorse(this.topAct[base + l]!, this.topWin[base + l]!, mAct, mWin))
        ((m = l), (mAct = this.topAct[base + l]!), (mWin = this.topWin[base + l]!));
      if (r < K && isWorse(this.topAct[base + r]!, this.topWin[base + r]!, mAct, mWin)) m = r;
      if (m === c) break;
      this.moveTop(base, m, c);
      c = m;
    }
    this.setTop(base, c, act, window, pos);
  }

  private moveTop(base: number, from: number, to: number): void {
    this.topAct[base + to] = this.topAct[base + from]!;
    this.topWin[base + to] = this.topWin[base + from]!;
    this.topPos[base + to] = this.topPos[base + from]!;
  }

  private setTop(base: number, k: number, act: number, window: number, pos: number): void {
    this.topAct[base + k] = act;
    this.topWin[base + k] = window;
    this.topPos[base + k] = pos;
  }

  private addToHistogram(i: number, v: number): void {
    const B = this.sizes.bins;
    if (v > 0) {
      if (this.hi[i] === 0) this.hi[i] = powerOfTwoAbove(v);
      while (v > this.hi[i]!) this.doublePositiveRange(i);
      this.histPos[i * B + Math.min(B - 1, Math.floor((v / this.hi[i]!) * B))]! += 1;
    } else {
      const m = -v;
      if (this.hiNeg[i] === 0) this.hiNeg[i] = powerOfTwoAbove(m);
      while (m > this.hiNeg[i]!) {
        mergePairs(this.histNeg, i * B, B);
        this.hiNeg[i]! *= 2;
      }
      this.histNeg[i * B + Math.min(B - 1, Math.floor((m / this.hiNeg[i]!) * B))]! += 1;
    }
  }

  /** hi → 2·hi: histogram bins and interval reservoirs merge in pairs into the lower half. */
  private doublePositiveRange(i: number): void {
    const { bins: B, quantiles: Q } = this.sizes;
    mergePairs(this.histPos, i * B, B);
    for (let q = 0; q < Q / 2; q++) this.mergeReservoirs(i, 2 * q, 2 * q + 1, q);
    for (let q = Q / 2; q < Q; q++) ((this.resSeen[i * Q + q] = 0), (this.resSize[i * Q + q] = 0));
    this.hi[i]! *= 2;
  }

  private offerInterval(i: number, act: number, window: number, pos: number): void {
    const { quantiles: Q, perQuantile: S } = this.sizes;
    const q = Math.min(Q - 1, Math.floor((act / this.hi[i]!) * Q));
    const at = i * Q + q;
    const seen = ++this.resSeen[at]!;
    let slot = -1;
    if (this.resSize[at]! < S) slot = this.resSize[at]!++;
    else {
      const j = Math.floor(this.random() * seen); // Algorithm R: keep with probability S / seen
      if (j < S) slot = j;
    }
    if (slot < 0) return;
    this.resAct[at * S + slot] = act;
    this.resWin[at * S + slot] = window;
    this.resPos[at * S + slot] = pos;
  }

  /**
   * Reservoirs a and b (uniform samples of na and nb windows) → one uniform sample of the na + nb
   * windows in slot `into`: each draw picks a side in proportion to its windows not yet drawn, then
   * an unused sample of that side (sampling without replacement from the union).
   */
  private mergeReservoirs(i: number, a: number, b: number, into: number): void {
    const { quantiles: Q, perQuantile: S } = this.sizes;
    const take = (q: number) => {
      const at = i * Q + q;
      return Array.from({ length: this.resSize[at]! }, (_, s) => ({
        act: this.resAct[at * S + s]!,
        window: this.resWin[at * S + s]!,
        pos: this.resPos[at * S + s]!,
      }));
    };
    const left = take(a),
      right = take(b);
    let na = this.resSeen[i * Q + a]!,
      nb = this.resSeen[i * Q + b]!;
    const seen = na + nb;
    const merged: ExampleRef[] = [];
    while (merged.length < S && (left.length > 0 || right.length > 0)) {
      const isLeft = right.length === 0 || (left.length > 0 && this.random() * (na + nb) < na);
      const side = isLeft ? left : right;
      merged.push(side.splice(Math.floor(this.random() * side.length), 1)[0]!);
      if (isLeft) na--;
      else nb--;
    }
    const at = i * Q + into;
    this.resSeen[at] = seen;
    this.resSize[at] = merged.length;
    merged.forEach((e, s) => {
      this.resAct[at * S + s] = e.act;
      this.resWin[at * S + s] = e.window;
      this.resPos[at * S + s] = e.pos;
    });
  }
}

/**
 * Top-K heap order: a lower activation is worse; at equal activations the later window is worse, so
 * the kept set is exactly the first K of (activation desc, window asc) whatever the arrival order.
 */
function isWorse(act: number, window: number, otherAct: number, otherWindow: number): boolean {
  return act < otherAct || (act === otherAct && window > otherWindow);
}

/** bins[k] = bins[2k] + bins[2k + 1] for the lower half, zeros above: the bins of a doubled range. */
function mergePairs(hist: Float64Array, base: number, B: number): void {
  for (let k = 0; k < B / 2; k++) hist[base + k] = hist[base + 2 * k]! + hist[base + 2 * k + 1]!;
  for (let k = B / 2; k < B; k++) hist[base + k] = 0;
}

/** The smallest power of two ≥ v (v > 0), so bin edges are exact binary fractions. */
function powerOfTwoAbove(v: number): number {
  return 2 ** Math.ceil(Math.log2(v));
}

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
}
