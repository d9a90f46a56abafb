import * as ort from "onnxruntime-node";

export type DeviceChoice = "cpu" | "cuda" | "auto";

/**
 * Creates an InferenceSession on the CUDA execution provider when asked for (or "auto" and it
 * loads), else on the CPU provider. The CUDA provider of onnxruntime-node ships as a separate
 * download (its install script, which this project does not run), so "auto" falls back to CPU
 * when it is absent; "cuda" makes that an error. The provider used is returned for logging.
 */
export async function createOnnxSession(bytes: Uint8Array, device: DeviceChoice, log: (line: string) => void = () => {}): Promise<{ session: ort.InferenceSession; provider: "cpu" | "cuda" }> {
  const options: ort.InferenceSession.SessionOptions = { graphOptimizationLevel: "all" };
  if (device !== "cpu") {
    try {
      const session = await ort.InferenceSession.create(bytes, { ...options, executionProviders: ["cuda"] });
      return { session, provider: "cuda" };
    } catch (error) {
      if (device === "cuda") throw new Error(`onnxruntime: the CUDA execution provider could not be loaded: ${(error as Error).message}`);
      log(`onnxruntime: CUDA execution provider unavailable (${firstLine((error as Error).message)}); using CPU`);
    }
  }
  const session = await ort.InferenceSession.create(bytes, { ...options, executionProviders: ["cpu"] });
  return { session, provider: "cpu" };
}

function firstLine(s: string): string {
  return s.split("\n")[0]!.slice(0, 200);
}
