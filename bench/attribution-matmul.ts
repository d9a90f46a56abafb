// The yardstick for the adjoint's efficiency (bench/attribution.ts): the best float32 MatMul throughput
// that onnxruntime reaches on this machine, with the same session options as the engine
// (gpu-worker's createOnnxSession) and graphs written with the same onnx-proto builder.
//
// Each model is a chain of R MatMuls X ← X @ W_i with X [M, K] an input and W_i [K, K] initializers
// (scaled by 1/√K so values stay O(1)): the data stays on the device between the R products, so on
// CUDA the one upload of X and download of the result are amortised, and on CPU the chain measures
// the GEMM kernel, not the copies in and out of JS. FLOPs = R · 2·M·K·K (one multiply and one add per
// term); the figure is the best of a few runs after a warm-up.

import * as ort from "onnxruntime-node";
import { createOnnxSession, type DeviceChoice } from "~/gpu-worker/src/engine/onnx/create-onnx-session";
import { OnnxGraphBuilder } from "~/gpu-worker/src/engine/onnx/onnx-graph-builder";

export interface MatMulShape {
  M: number;
  K: number;
  /** MatMuls chained in one run. */
  R: number;
}

/**
 * Shapes around the adjoint's own products: [B·t, d] @ [d, d] for B = 256 rows at t = 32 and 128
 * tokens with d = 512, a wider d, and a large square GEMM, the classic best case.
 */
export const CPU_SHAPES: MatMulShape[] = [
  { M: 8192, K: 512, R: 4 },
  { M: 32768, K: 512, R: 2 },
  { M: 8192, K: 1024, R: 2 },
  { M: 2048, K: 2048, R: 2 },
];
export const CUDA_SHAPES: MatMulShape[] = [
  { M: 32768, K: 512, R: 16 },
  { M: 32768, K: 2304, R: 8 },
  { M: 8192, K: 4096, R: 8 },
  { M: 16384, K: 8192, R: 4 },
];

export interface MatMulResult extends MatMulShape {
  gflops: number; // per run
  bestSeconds: number;
  gflopPerSecond: number;
}

export async function measureMatMul(shape: MatMulShape, device: DeviceChoice, minSeconds = 1): Promise<MatMulResult> {
  const { M, K, R } = shape;
  const g = new OnnxGraphBuilder("matmul_bench");
  let x = g.input("x", "float", ["M", K]);
  const scale = 1 / Math.sqrt(K);
  for (let i = 0; i < R; i++) {
    const w = new Float32Array(K * K); // (K, K)
    let seed = 12345 + i;
    for (let j = 0; j < w.length; j++) {
      seed = (Math.imul(seed, 1103515245) + 12345) | 0;
      w[j] = ((seed >>> 8) / (1 << 24) - 0.5) * 2 * scale;
    }
    x = g.op("MatMul", [x, g.weight(`w_${i}`, w, [K, K])]); // [M, K]
  }
  g.output("y", x, "float", ["M", K]);
  const { session } = await createOnnxSession(g.toBytes(), device);
  try {
    const input = new Float32Array(M * K).map((_, i) => ((i * 2654435761) % 1000) / 1000 - 0.5); // (M, K)
    const feeds = { x: new ort.Tensor("float32", input, [M, K]) };
    await session.run(feeds); // warm-up: kernel selection, arena growth
    let best = Infinity,
      spent = 0,
      runs = 0;
    while (runs < 3 || (spent < minSeconds && runs < 20)) {
      const started = performance.now();
      await session.run(feeds);
      const seconds = (performance.now() - started) / 1000;
      best = Math.min(best, seconds);
      spent += seconds;
      runs += 1;
    }
    const gflops = (R * 2 * M * K * K) / 1e9;
    return { ...shape, gflops, bestSeconds: best, gflopPerSecond: gflops / best };
  } finally {
    await session.release();
  }
}
