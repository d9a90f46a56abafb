import type { Tensor } from "../../models/tensor";

/**
 * Naive float64 kernels for the reference engine (llm.c keeps matmul_forward_naive beside the
 * fast kernel for the same reason: it is the oracle). Weights stay float32, sums are float64.
 */

/** out[n, b] = x[n, a] @ W[a, b] (+ bias[b]). */
export function matmul(x: Float64Array, n: number, W: Tensor, bias: Tensor | null): Float64Array {
  const [a, b] = W.shape as [number, number];
  const out = new Float64Array(n * b); // (n, b)
  const w = W.data;
  for (let i = 0; i < n; i++) {
    const row = out.subarray(i * b, (i + 1) * b);
    if (bias) for (let j = 0; j < b; j++) row[j] = bias.data[j]!;
    for (let k = 0; k < a; k++) {
      const xv = x[i * a + k]!;
      if (xv === 0) continue;
      const wrow = k * b;
      for (let j = 0; j < b; j++) row[j]! += xv * w[wrow + j]!;
    }
  }
  return out;
}

/** out[n, a] = g[n, b] @ W[a, b]^T  (the adjoint of x @ W). */
export function matmulTransposed(g: Float64Array, n: number, W: Tensor): Float64Array {
  const [a, b] = W.shape as [number, number];
  const out = new Float64Array(n * a); // (n, a)
  const w = W.data;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < a; k++) {
      let s = 0;
      const wrow = k * b;
      for (let j = 0; j < b; j++) s += g[i * b + j]! * w[wrow + j]!;
      out[i * a + k] = s;
    }
  }
  return out;
}

export function dot(a: ArrayLike<number>, aStart: number, b: ArrayLike<number>, bStart: number, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[aStart + i]! * b[bStart + i]!;
  return s;
}

/** The tanh approximation of GELU: GPT-2's "gelu_new", Gemma's "gelu_pytorch_tanh". */
export function geluTanh(x: number): number {
  return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
}

export function silu(x: number): number {
  return x / (1 + Math.exp(-x));
}
