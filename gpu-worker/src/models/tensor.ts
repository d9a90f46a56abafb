/**
 * The one tensor type the loaders hand out: a flat row-major Float32Array plus its shape.
 * Weights are kept in float32 whatever the file's dtype (F16/BF16 widen exactly), so the
 * float64 reference and the float32 ONNX path read the very same numbers.
 */
export interface Tensor {
  shape: number[];
  data: Float32Array;
}

export function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function shapeString(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Transpose a 2-D tensor: [r, c] -> [c, r]. Used to bring nn.Linear's [out, in] into x @ W layout. */
export function transpose2d(t: Tensor): Tensor {
  const [r, c] = t.shape as [number, number];
  const out = new Float32Array(r * c); // (c, r)
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = t.data[i * c + j]!;
  return { shape: [c, r], data: out };
}
