/**
 * Device selection for onnxruntime-node (issue 17): which execution provider a `--device` choice
 * means, whether that provider can start in this process, and, when it cannot, a message that says
 * what is missing.
 *
 *   cpu     the CPU provider.
 *   webgpu  the WebGPU provider that ships inside onnxruntime-node's own library (Dawn; on Linux over
 *           Vulkan: it needs the Vulkan loader libvulkan.so.1 and a Vulkan driver, e.g. NVIDIA's).
 *   cuda    the CUDA provider: a separate library, libonnxruntime_providers_cuda.so, that the package's
 *           install script fetches (`ONNXRUNTIME_NODE_INSTALL=cuda12`); this project does not run that
 *           script, so it is present only where someone installed it (it needs CUDA 12 and cuDNN 9).
 *   auto    CUDA when its library is installed and loads, else WebGPU when a Vulkan adapter starts,
 *           else the CPU; every provider it skips is logged once with the reason.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type * as ort from "onnxruntime-node";

export const DEVICE_CHOICES = ["auto", "cpu", "webgpu", "cuda"] as const;
export type DeviceChoice = (typeof DEVICE_CHOICES)[number];
/** An execution provider a session can actually run on. */
export type ExecutionProviderName = Exclude<DeviceChoice, "auto">;

/** A `--device` / `WORKER_DEVICE` value, checked: the error names the flag and the accepted values. */
export function parseDeviceChoice(raw: string, flag = "--device"): DeviceChoice {
  if ((DEVICE_CHOICES as readonly string[]).includes(raw)) return raw as DeviceChoice;
  throw new Error(`${flag}: expected ${DEVICE_CHOICES.join(", ")}, got "${raw}"`);
}

/** The providers to try for a choice, in order; the CPU provider always ends an `auto` list. */
export function candidateProviders(device: DeviceChoice): ExecutionProviderName[] {
  return device === "auto" ? ["cuda", "webgpu", "cpu"] : [device];
}

/** A requested device that cannot start; the message says what is missing. */
export class DeviceUnavailableError extends Error {
  constructor(
    readonly provider: ExecutionProviderName,
    message: string,
  ) {
    super(message);
    this.name = "DeviceUnavailableError";
  }
}

/** The onnxruntime-node folder of native libraries for this platform. */
export function nativeLibraryDir(): string | null {
  try {
    const packageDir = dirname(createRequire(import.meta.url).resolve("onnxruntime-node/package.json"));
    return join(packageDir, "bin", "napi-v6", process.platform, process.arch);
  } catch {
    return null;
  }
}

/**
 * Why CUDA cannot start before trying it, or null when it may: on Linux the provider library must
 * sit beside onnxruntime's own (checked up front, where ORT would otherwise print a native error).
 */
export function cudaPrecondition(): string | null {
  if (process.platform !== "linux") return null;
  const dir = nativeLibraryDir();
  const lib = dir && join(dir, "libonnxruntime_providers_cuda.so");
  if (lib && existsSync(lib)) return null;
  return (
    `the CUDA provider library (libonnxruntime_providers_cuda.so) is not installed in onnxruntime-node${dir ? ` (${dir})` : ""}: ` +
    "this project blocks the package's install script that downloads it; on a machine that may fetch it, run " +
    "`ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node` (needs CUDA 12 and cuDNN 9), or use --device webgpu"
  );
}

/**
 * Why WebGPU cannot start before trying it, or null when it may. On Linux, Dawn reaches the GPU
 * through Vulkan and loads the loader library at run time; without it the only symptom ORT gives is
 * "No supported adapters", so the loader is looked for first, with the dynamic linker's own search
 * (LD_LIBRARY_PATH, the ld.so cache): `process.dlopen` of a library that is no Node add-on loads it,
 * then fails with "did not self-register", while a missing file fails with "cannot open".
 */
export function webgpuPrecondition(): string | null {
  if (process.platform !== "linux") return null;
  try {
    process.dlopen({ exports: {} }, "libvulkan.so.1");
  } catch (error) {
    const message = (error as Error).message;
    if (/did not self-register/i.test(message)) return null;
    return (
      `no Vulkan loader: libvulkan.so.1 is not on the library path (${firstLine(message)}). The WebGPU provider ` +
      "(Dawn) reaches the GPU through Vulkan: install the loader (Debian/Ubuntu: libvulkan1) and a Vulkan driver " +
      "(NVIDIA's driver ships one), or put an unpacked libvulkan.so.1 on LD_LIBRARY_PATH"
    );
  }
  return null;
}

/** The precondition of any provider (the CPU has none). */
export function providerPrecondition(provider: ExecutionProviderName): string | null {
  if (provider === "cuda") return cudaPrecondition();
  if (provider === "webgpu") return webgpuPrecondition();
  return null;
}

/** The session options' `executionProviders` for one provider (ORT adds the CPU for nodes it cannot take). */
export function executionProvidersFor(
  provider: ExecutionProviderName,
): ort.InferenceSession.SessionOptions["executionProviders"] {
  if (provider === "webgpu") return [{ name: "webgpu", validationMode: "basic" }];
  return [provider];
}

/**
 * The reason a provider failed to create a session, in words: ORT's messages name a source line and
 * a failed check; this says what is missing. `dawnWarnings` are the lines Dawn printed on stderr
 * (see probeWebGpuInChild), which hold the adapter's own reason.
 */
export function explainProviderFailure(
  provider: ExecutionProviderName,
  error: unknown,
  dawnWarnings: string[] = [],
): string {
  const raw = error instanceof Error ? error.message : String(error);
  const detail = firstLine(raw.replace(/^\S*onnxruntime_src\S*\s+\S+\s*/, ""));
  if (provider === "webgpu") {
    if (/adapter/i.test(raw)) {
      if (dawnWarnings.some((w) => /found no drivers/i.test(w)))
        return (
          "no Vulkan driver: the Vulkan loader is present but finds no driver (ICD) to load. Install the GPU " +
          "vendor's Vulkan driver, or point VK_DRIVER_FILES at its ICD file (NVIDIA: nvidia_icd.json)"
        );
      const reason = dawnWarnings.find((w) => /required|not supported|too old|failed/i.test(w)) ?? dawnWarnings[0];
      return (
        "no WebGPU adapter: the Vulkan loader is present, but Dawn found no Vulkan device it accepts" +
        (reason ? ` (Dawn: "${reason}")` : "") +
        (reason && /required/i.test(reason)
          ? ". The driver lacks a feature Dawn requires: a software Vulkan such as Debian 12's lavapipe (Mesa 22.3) does"
          : ". A GPU needs its vendor's Vulkan driver (an ICD file in /usr/share/vulkan/icd.d or VK_DRIVER_FILES)")
      );
    }
    return `the WebGPU provider could not start: ${detail}`;
  }
  if (provider === "cuda") {
    const missingLib = /(lib[\w.+-]+\.so[\w.]*): cannot open shared object file/.exec(raw)?.[1];
    if (missingLib)
      return (
        `the CUDA provider library is installed but ${missingLib} is missing: the CUDA provider of onnxruntime-node ` +
        "needs CUDA 12 (cudart, cuBLAS, cuFFT, cuRAND) and cuDNN 9 on the library path (LD_LIBRARY_PATH)"
      );
    return `the CUDA provider could not be loaded: ${detail}`;
  }
  return `the CPU provider failed: ${detail}`;
}

export interface WebGpuChildProbe {
  ok: boolean;
  /** Dawn's and the Vulkan loader's warnings, one per line, without the "Warning: " prefix. */
  warnings: string[];
  /** ORT's error message in the child, when the session failed. */
  error: string | null;
  /** Every other stderr line (ORT's own log at the requested severity), at most 200. */
  log: string[];
}

/**
 * Tries a WebGPU session on a one-node graph in a child Node process and returns what Dawn printed:
 * Dawn writes the adapter's reason (e.g. "Vulkan shaderUniform*ArrayDynamicIndexing required") to
 * the process's stderr, where an in-process caller cannot read it. Used only after a failure, for the
 * message. `model` is the ONNX bytes of any small float graph with input "x" [1] (see the caller).
 */
export async function probeWebGpuInChild(
  model: Uint8Array,
  timeoutMs = 30_000,
  logSeverityLevel = 3,
): Promise<WebGpuChildProbe> {
  const { spawn } = await import("node:child_process");
  const ortEntry = createRequire(import.meta.url).resolve("onnxruntime-node");
  const script = `
    const ort = require(${JSON.stringify(ortEntry)});
    const bytes = Buffer.from(process.env.PROBE_MODEL, "base64");
    ort.InferenceSession.create(bytes, { executionProviders: ["webgpu"], logSeverityLevel: ${Number(logSeverityLevel)} })
      .then(async (s) => { await s.run({ x: new ort.Tensor("float32", new Float32Array([1]), [1]) }); process.stdout.write("ok"); })
      .catch((e) => process.stdout.write("error:" + e.message));`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["-e", script], {
      env: { ...process.env, PROBE_MODEL: Buffer.from(model).toString("base64") },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: timeoutMs,
    });
    let out = "",
      err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("close", () => {
      const lines = err.split("\n").filter((l) => l.trim() !== "");
      const warnings = lines.filter((l) => l.startsWith("Warning: ")).map((l) => l.slice("Warning: ".length).trim());
      resolve({
        ok: out === "ok",
        warnings,
        error: out.startsWith("error:") ? out.slice(6) : out === "ok" ? null : `child exited: ${firstLine(err)}`,
        log: lines.filter((l) => !l.startsWith("Warning: ")).slice(0, 200),
      });
    });
  });
}

export function firstLine(s: string): string {
  return (s.split("\n").find((l) => l.trim() !== "") ?? "").trim().slice(0, 300);
}
