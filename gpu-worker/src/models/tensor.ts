/**
 * The one tensor type the loaders hand out: a flat row-major Float32Array plus its shape.
 * Weights are kept in float32 whatever the file's dtype (F16/BF16 widen exactly), so the
 * float64 reference and the float32 ONNX path read the very same numbers.
 */
export interface Tensor {
  shape: number[];
  data: Float32Array;
  /**
   * Lazily loaded tensors (loadModelWeights with lazy: true) read their values from the checkpoint on
   * demand: `data` reads once and keeps them; `read()` returns a fresh copy and keeps nothing, which is
   * how the ONNX builders stream weights into their sessions without a JS copy staying behind.
   */
  read?: () => Float32Array;
}

export function lazyTensor(shape: number[], read: () => Float32Array): Tensor {
  let kept: Float32Array | null = null;
  return {
    shape,
    get data() {
      return (kept ??= read());
    },
    read: () => kept ?? read(),
  };
}

/** A tensor's values for a one-time use (building a session): read fresh when lazy, so nothing is kept. */
export function tensorValues(t: Tensor): Float32Array {
  return t.read ? t.read() : t.data;
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
  return { shape: [c, r], data: transposeValues(tensorValues(t), r, c) };
}

/** [r, c] row-major values -> [c, r], in blocks so that both sides stay in cache. */
export function transposeValues(a: Float32Array, r: number, c: number): Float32Array {
  const out = new Float32Array(r * c); // (c, r)
  const BLOCK = 64;
  for (let i0 = 0; i0 < r; i0 += BLOCK) {
    const i1 = Math.min(r, i0 + BLOCK);
    for (let j0 = 0; j0 < c; j0 += BLOCK) {
      const j1 = Math.min(c, j0 + BLOCK);
      for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) out[j * r + i] = a[i * c + j]!;
    }
  }
  return out;
}
