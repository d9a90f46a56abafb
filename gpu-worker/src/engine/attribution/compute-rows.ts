import type { AdjointRunner } from "../adjoint-types";
import type { AttributionSources } from "./adjoint-sources";

/**
 * One adjoint batch → one attribution row per target (reference §2.5 step 6: row_b[s] = A[target_b, s]).
 * Columns follow the full canonical order of reference §2.1 without logits:
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
  n_act: number,
  n_layers: number,
  n_tokens: number,
): Promise<Float32Array[]> {
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
  const rows = targets.map(() => new Float32Array(n_act + (L + 1) * T)); // B × (n_act + (L+1)·T)
  for (let l = 0; l < L; l++) {
    const features = sources.rowFeature[l]!;
    const n = features.length;
    const dec = result.decoder[l]!; // (B, n_l)
    // CLT: a feature has one decoder row per output layer, and its column is their sum.
    for (let b = 0; b < B; b++) for (let r = 0; r < n; r++) rows[b]![features[r]!]! += dec[b * n + r]!;
  }
  for (let b = 0; b < B; b++) {
    const row = rows[b]!;
    for (let i = 0; i < L * T; i++) row[n_act + i] = result.errors[b * L * T + i]!; // (l, p) → n_act + l·T + p
    for (let p = 0; p < T; p++) row[n_act + L * T + p] = result.tokens[b * T + p]!;
  }
  return rows;
}
