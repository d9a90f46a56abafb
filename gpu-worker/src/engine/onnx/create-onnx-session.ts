import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as ort from "onnxruntime-node";

export type DeviceChoice = "cpu" | "cuda" | "auto";

/**
 * Whether CUDA is known to be unusable in this process: the provider library is absent from the
 * package (checked up front on Linux, where ORT would otherwise print a native error), or loading
 * it failed once already.
 */
let isCudaKnownMissing = process.platform === "linux" && !hasCudaProviderLibrary();

function hasCudaProviderLibrary(): boolean {
  try {
    const packageDir = dirname(createRequire(import.meta.url).resolve("onnxruntime-node/package.json"));
    return existsSync(join(packageDir, "bin", "napi-v6", "linux", process.arch, "libonnxruntime_providers_cuda.so"));
  } catch {
    return false;
  }
}

let hasLoggedCpuFallback = false;

/**
 * Creates an InferenceSession on the CUDA execution provider when asked for (or "auto" and it
 * loads), else on the CPU provider. The CUDA provider of onnxruntime-node ships as a separate
 * download (its install script, which this project does not run), so "auto" falls back to CPU
 * when it is absent; "cuda" makes that an error. The provider used is returned for logging.
 */
export async function createOnnxSession(
  source: Uint8Array | string,
  device: DeviceChoice,
  log: (line: string) => void = () => {},
): Promise<{ session: ort.InferenceSession; provider: "cpu" | "cuda" }> {
  // Denormals flushed to zero: a saturated softmax leaves attention weights near 1e-45 that leak into the
  // adjoint, and every later MatMul then runs 3-4x slower on them (bench/attribution.ts). Values below
  // float32's smallest normal (1.2e-38) carry no attribution that survives rounding anyway.
  const options: ort.InferenceSession.SessionOptions = {
    graphOptimizationLevel: "all",
    extra: { session: { set_denormal_as_zero: "1" } },
  };
  if (device === "cuda" || (device === "auto" && !isCudaKnownMissing)) {
    try {
      // Severity 4 (fatal only) while probing: a missing CUDA library is an expected outcome here.
      const session = await ort.InferenceSession.create(source as string, {
        ...options,
        executionProviders: ["cuda"],
        logSeverityLevel: device === "auto" ? 4 : 2,
      });
      return { session, provider: "cuda" };
    } catch (error) {
      if (device === "cuda")
        throw new Error(`onnxruntime: the CUDA execution provider could not be loaded: ${(error as Error).message}`);
      isCudaKnownMissing = true;
      hasLoggedCpuFallback = true;
      log(`onnxruntime: CUDA execution provider unavailable (${firstLine((error as Error).message)}); using CPU`);
    }
  }
  if (device === "auto" && isCudaKnownMissing && !hasLoggedCpuFallback) {
    log("onnxruntime: no CUDA execution provider in this installation; using CPU");
    hasLoggedCpuFallback = true;
  }
  const session = await ort.InferenceSession.create(source as string, { ...options, executionProviders: ["cpu"] });
  return { session, provider: "cpu" };
}

function firstLine(s: string): string {
  return s.split("\n")[0]!.slice(0, 200);
}
