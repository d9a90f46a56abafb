import { rmSync } from "node:fs";
import * as ort from "onnxruntime-node";
import { OnnxGraphBuilder } from "./onnx-graph-builder";
import { profilingOptions, reportProvidersAfterFirstRun } from "./provider-report";
import {
  candidateProviders,
  DeviceUnavailableError,
  executionProvidersFor,
  explainProviderFailure,
  firstLine,
  probeWebGpuInChild,
  providerPrecondition,
  type DeviceChoice,
  type ExecutionProviderName,
} from "./select-device";

export type { DeviceChoice, ExecutionProviderName } from "./select-device";

/**
 * Providers known to be unusable in this process, with the reason: a missing library or adapter
 * (checked before the first try) or a failed session creation. Each is logged once.
 */
const unavailable = new Map<ExecutionProviderName, string>();
const logged = new Set<ExecutionProviderName>();

/** Why `provider` cannot start here, or null when it may (cached for the process). */
async function unavailableReason(provider: ExecutionProviderName): Promise<string | null> {
  if (!unavailable.has(provider)) {
    const reason = providerPrecondition(provider);
    if (reason) unavailable.set(provider, reason);
  }
  return unavailable.get(provider) ?? null;
}

/**
 * Creates an InferenceSession on the provider the device choice names (select-device.ts): an
 * explicit `webgpu` or `cuda` that cannot start is a DeviceUnavailableError saying what is missing;
 * `auto` tries CUDA, then WebGPU, then takes the CPU, logging each skipped provider once with its
 * reason. A GPU session logs, after its first run, how many nodes each provider ran (nodes the GPU
 * provider left on the CPU included; provider-report.ts). The provider used is returned.
 */
export async function createOnnxSession(
  source: Uint8Array | string,
  device: DeviceChoice,
  log: (line: string) => void = () => {},
): Promise<{ session: ort.InferenceSession; provider: ExecutionProviderName }> {
  // Denormals flushed to zero: a saturated softmax leaves attention weights near 1e-45 that leak into the
  // adjoint, and every later MatMul then runs 3-4x slower on them (bench/attribution.ts). Values below
  // float32's smallest normal (1.2e-38) carry no attribution that survives rounding anyway.
  const options: ort.InferenceSession.SessionOptions = {
    graphOptimizationLevel: "all",
    extra: { session: { set_denormal_as_zero: "1" } },
  };
  for (const provider of candidateProviders(device)) {
    if (provider === "cpu") break;
    const explicit = device === provider;
    const before = await unavailableReason(provider);
    if (before) {
      if (explicit) throw new DeviceUnavailableError(provider, `--device ${provider}: ${before}`);
      logSkipped(provider, before, log);
      continue;
    }
    // Severity 4 (fatal only) while auto probes: a missing library is an expected outcome there.
    const gpuOptions: ort.InferenceSession.SessionOptions = {
      ...options,
      executionProviders: executionProvidersFor(provider),
      logSeverityLevel: explicit ? 2 : 4,
    };
    const profile = profilingOptions();
    try {
      let session: ort.InferenceSession;
      try {
        session = await ort.InferenceSession.create(source as string, { ...gpuOptions, ...profile.options });
      } catch (profiled) {
        // A provider whose profiler cannot start (e.g. no GPU timestamp queries) still runs, without the report;
        // a missing adapter or library fails the same either way, so it is not tried twice.
        if (/adapter|shared object|failed to load library/i.test((profiled as Error).message)) throw profiled;
        rmSync(profile.dir, { recursive: true, force: true });
        session = await ort.InferenceSession.create(source as string, gpuOptions);
        log(
          `onnxruntime/${provider}: no provider report (profiling failed: ${firstLine((profiled as Error).message)})`,
        );
        return { session, provider };
      }
      const label = `onnxruntime/${provider} session (inputs ${session.inputNames.slice(0, 3).join(", ")}${session.inputNames.length > 3 ? ", …" : ""})`;
      return { session: reportProvidersAfterFirstRun(session, profile.dir, label, log), provider };
    } catch (error) {
      rmSync(profile.dir, { recursive: true, force: true });
      const reason = explainProviderFailure(provider, error, provider === "webgpu" ? await dawnWarnings() : []);
      unavailable.set(provider, reason);
      if (explicit) throw new DeviceUnavailableError(provider, `--device ${provider}: ${reason}`);
      logSkipped(provider, reason, log);
    }
  }
  const session = await ort.InferenceSession.create(source as string, { ...options, executionProviders: ["cpu"] });
  return { session, provider: "cpu" };
}

function logSkipped(provider: ExecutionProviderName, reason: string, log: (line: string) => void): void {
  if (logged.has(provider)) return;
  logged.add(provider);
  log(
    `onnxruntime: device auto: ${provider} unavailable (${reason}); ${provider === "cuda" ? "trying webgpu" : "using CPU"}`,
  );
}

/** Dawn's warnings from a one-node WebGPU session in a child process (its stderr holds the adapter's reason). */
async function dawnWarnings(): Promise<string[]> {
  const g = new OnnxGraphBuilder("webgpu_probe");
  const x = g.input("x", "float", [1]);
  g.output("y", g.op("Mul", [x, g.weight("two", new Float32Array([2]), [1])]), "float", [1]);
  try {
    return (await probeWebGpuInChild(g.toBytes())).warnings;
  } catch (error) {
    return [`probe failed: ${firstLine((error as Error).message)}`];
  }
}
