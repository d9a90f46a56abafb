import type { ModelConfig } from "../models/model-config";

/**
 * Rotary inverse frequencies, [dh / 2]: theta^(-2i/dh), with Llama-3's "llama3" rescaling when
 * configured (long wavelengths divided by `factor`, a smooth blend in between; HF
 * `_compute_llama3_parameters`). Shared by the reference and the ONNX builder so both rotate alike.
 */
export function ropeInverseFrequencies(c: ModelConfig): Float64Array {
  const half = c.d_head / 2;
  const inv = new Float64Array(half); // [dh/2]
  for (let i = 0; i < half; i++) inv[i] = 1 / c.rope_theta ** ((2 * i) / c.d_head);
  const s = c.rope_scaling;
  if (!s) return inv;
  const lowWavelen = s.original_max_position_embeddings / s.low_freq_factor;
  const highWavelen = s.original_max_position_embeddings / s.high_freq_factor;
  for (let i = 0; i < half; i++) {
    const f = inv[i]!;
    const wavelen = (2 * Math.PI) / f;
    if (wavelen < highWavelen) continue;
    if (wavelen > lowWavelen) inv[i] = f / s.factor;
    else {
      const smooth =
        (s.original_max_position_embeddings / wavelen - s.low_freq_factor) / (s.high_freq_factor - s.low_freq_factor);
      inv[i] = (1 - smooth) * (f / s.factor) + smooth * f;
    }
  }
  return inv;
}
