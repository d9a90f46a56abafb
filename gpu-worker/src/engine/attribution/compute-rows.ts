import type { AdjointRunner } from "../adjoint-types";
import type { AttributionSources } from "./adjoint-sources";
import type { RowBuffer } from "./row-buffer";

/**
 * One adjoint batch → one attribution row per target (reference §2.5 step 6: row_b[s] = A[target_b, s]),
 * written straight into the next rows of `rows`. Columns follow the full canonical order of reference
 * §2.1 without logits:
 *   [n_act active features | L·T error nodes (layer-major) | T token nodes]
 */
export interface RowTarget {
  layer: number; // L for logit targets (the final-norm output)
  pos: number;
  vec: Float32Array; // [d] encoder row or de-meaned unembedding
}

export async function computeRows(
  runner: AdjointRunner,
  sources: AttributionSources,
  targets: RowTarget[],
  nodes: ArrayLike<number>,
  rows: RowBuffer,
  n_act: number,
  n_layers: number,
  n_tokens: number,
): Promise<void> {
  const B = targets.length;
  const d = targets[0]!.vec.length;
  const vecs = new Float32Array(B * d); // (B, d)
  targets.forEach((t, b) => vecs.set(t.vec, b * d));
  const result = await runner.run({
    layer: Int32Array.from(targets, (t) => t.layer),
    pos: Int32Array.from(targets, (t) => t.pos),
    vecs,
  });
  const L = n_layers,
    T = n_tokens;
  const W = rows.nCols; // n_act + (L + 1)·T
  const out = rows.reserve(nodes); // (B, W), zeros
  // CLT: a feature has one decoder row per output layer, and its column is their sum.
  for (let l = 0; l < L; l++) {
    const features = sources.rowFeature[l]!;
    const bySlot = result.decoderBySlot?.[l];
    if (bySlot) {
      const { data, t, c, rowAt } = bySlot; // data (t, B, c)
      // Sequential reads; a position's features sit side by side in the row (active features are sorted).
      for (let p = 0; p < t; p++) {
        for (let b = 0; b < B; b++) {
          const from = (p * B + b) * c,
            at = b * W;
          for (let k = 0; k < c; k++) {
            const r = rowAt[p * c + k]!;
            if (r >= 0) out[at + features[r]!]! += data[from + k]!;
          }
        }
      }
      continue;
    }
    const n = features.length;
    const dec = result.decoder[l]!; // (B, n_l)
    for (let b = 0; b < B; b++) {
      const at = b * W,
        from = b * n;
      for (let r = 0; r < n; r++) out[at + features[r]!]! += dec[from + r]!;
    }
  }
  for (let b = 0; b < B; b++) {
    out.set(result.errors.subarray(b * L * T, (b + 1) * L * T), b * W + n_act); // (l, p) → n_act + l·T + p
    out.set(result.tokens.subarray(b * T, (b + 1) * T), b * W + n_act + L * T);
  }
  rows.commit(B);
}
