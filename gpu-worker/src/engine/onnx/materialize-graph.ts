import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ModelWeights } from "../../models/model-weights";
import { numel } from "../../models/tensor";

/**
 * Turns a graph builder into something onnxruntime can load: the serialised bytes when the weights
 * fit in one protobuf message, or a model file plus an external-data file in a fresh temporary
 * directory when they do not (protobuf's 2 GB cap; we switch well below it). The directory is
 * removed by `cleanup`, which the engine calls once the session exists and again on dispose.
 */
export const EXTERNAL_DATA_THRESHOLD_BYTES = 1_000_000_000;

export interface MaterializedGraph {
  source: Uint8Array | string; // bytes, or the model file path
  cleanup(): void;
}

export function materializeGraph(
  name: string,
  useExternalData: boolean,
  build: (externalDataPath: string | null) => Uint8Array,
): MaterializedGraph {
  if (!useExternalData) return { source: build(null), cleanup: () => {} };
  const dir = mkdtempSync(join(tmpdir(), `circuitboard-onnx-${name}-`));
  const modelPath = join(dir, `${name}.onnx`);
  writeFileSync(modelPath, build(join(dir, `${name}.weights`)));
  return { source: modelPath, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Total float32 bytes of the model's weights (the forward graph holds about this much). */
export function weightBytes(model: ModelWeights): number {
  // From the shapes: reading .data would load a lazily loaded model into JS memory.
  const size = (t: { shape: number[] } | null) => (t ? numel(t.shape) : 0);
  let n = size(model.W_E) + size(model.W_U) + size(model.W_pos);
  for (const layer of model.layers) {
    for (const t of [layer.W_Q, layer.W_K, layer.W_V, layer.W_O, layer.W_in, layer.W_gate, layer.W_out]) n += size(t);
  }
  return 4 * n;
}
