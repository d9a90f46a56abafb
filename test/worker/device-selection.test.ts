import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { createOnnxSession } from "~/gpu-worker/src/engine/onnx/create-onnx-session";
import { OnnxGraphBuilder } from "~/gpu-worker/src/engine/onnx/onnx-graph-builder";
import {
  formatProviderReport,
  profilingOptions,
  reportProvidersAfterFirstRun,
  type ProviderReport,
} from "~/gpu-worker/src/engine/onnx/provider-report";
import {
  cudaPrecondition,
  explainProviderFailure,
  nativeLibraryDir,
  parseDeviceChoice,
  probeWebGpuInChild,
  webgpuPrecondition,
} from "~/gpu-worker/src/engine/onnx/select-device";
import { makeTempDir, writeTinyModel, writeTinyTranscoders } from "./helpers/tiny-model";

/** y = relu(x @ W) + 1, x [2, 2]: three nodes. */
function tinyGraph(): Uint8Array {
  const g = new OnnxGraphBuilder("device_test");
  const x = g.input("x", "float", [2, 2]);
  const h = g.op("Relu", [g.op("MatMul", [x, g.weight("w", new Float32Array([1, -2, 3, 4]), [2, 2])])]);
  g.output("y", g.op("Add", [h, g.weight("one", new Float32Array([1]), [1])]), "float", [2, 2]);
  return g.toBytes();
}
const feeds = () => ({ x: new ort.Tensor("float32", new Float32Array([1, 0, 0, 1]), [2, 2]) });

// What this machine lacks for WebGPU, found the way the worker finds it (null: it may start here).
const webgpuMissing = webgpuPrecondition();
const WEBGPU_REFUSAL =
  /--device webgpu: (no Vulkan loader: libvulkan\.so\.1 is not on the library path|no Vulkan driver: the Vulkan loader is present but finds no driver|no WebGPU adapter: the Vulkan loader is present, but Dawn found no Vulkan device it accepts)/;

function cli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ["--import", "tsx", "gpu-worker/src/cli.ts", ...args], {
    encoding: "utf8",
    timeout: 90_000,
    env: { ...process.env, ...env },
  });
}

function tinyDirs() {
  const modelDir = makeTempDir("dev-model");
  const transcodersDir = makeTempDir("dev-tc");
  writeTinyModel(modelDir, { arch: "llama", n_layers: 2, d_model: 16, n_heads: 2, d_mlp: 32, seed: 171 });
  writeTinyTranscoders(transcodersDir, {
    kind: "transcoder_set",
    n_layers: 2,
    d_model: 16,
    d_transcoder: 24,
    activation: "jumprelu",
    feature_input_hook: "mlp.hook_in",
    feature_output_hook: "hook_mlp_out",
    seed: 172,
  });
  return ["--model", modelDir, "--transcoders", transcodersDir, "--prompt", "abc", "--max-feature-nodes", "10"];
}

describe("device selection", () => {
  it("names the flag and the accepted values for a bad --device or WORKER_DEVICE", () => {
    expect(() => parseDeviceChoice("gpu")).toThrow('--device: expected auto, cpu, webgpu, cuda, got "gpu"');
    expect(parseDeviceChoice("webgpu")).toBe("webgpu");
    const out = join(makeTempDir("dev-out"), "g.json");
    const bad = cli(["attribute", ...tinyDirs(), "--out", out], { WORKER_DEVICE: "gpu" });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/WORKER_DEVICE: .*"auto"\|"cpu"\|"webgpu"\|"cuda"/);
  });

  it("says the CUDA provider library is not installed, and how to get it, where it is absent", () => {
    const lib = join(nativeLibraryDir()!, "libonnxruntime_providers_cuda.so");
    if (existsSync(lib)) return expect(cudaPrecondition()).toBeNull();
    expect(cudaPrecondition()).toMatch(/libonnxruntime_providers_cuda\.so\) is not installed/);
    expect(cudaPrecondition()).toMatch(/ONNXRUNTIME_NODE_INSTALL=cuda12/);
    expect(
      explainProviderFailure(
        "cuda",
        new Error(
          "Failed to load library libonnxruntime_providers_cuda.so with error: libcublasLt.so.12: cannot open shared object file: No such file or directory",
        ),
      ),
    ).toMatch(/libcublasLt\.so\.12 is missing: .* needs CUDA 12 .* cuDNN 9/);
  });

  it("refuses --device webgpu with what is missing (no Vulkan loader / no adapter), with onnxruntime's and Dawn's real failure", async () => {
    if (!webgpuMissing) {
      // A Vulkan loader is here: either a real adapter starts (then the GPU result equals the CPU's) or the refusal says why.
      try {
        const { session, provider } = await createOnnxSession(tinyGraph(), "webgpu");
        expect(provider).toBe("webgpu");
        const y = (await session.run(feeds())).y!.data as Float32Array;
        expect(Array.from(y)).toEqual([2, 1, 4, 5]);
        await session.release();
      } catch (error) {
        expect((error as Error).message).toMatch(WEBGPU_REFUSAL);
      }
      return;
    }
    expect(webgpuMissing).toMatch(
      /^no Vulkan loader: libvulkan\.so\.1 is not on the library path \(.*cannot open shared object file/,
    );
    await expect(createOnnxSession(tinyGraph(), "webgpu")).rejects.toThrow(
      /^--device webgpu: no Vulkan loader: libvulkan\.so\.1 .* install the loader \(Debian\/Ubuntu: libvulkan1\)/,
    );
    // What onnxruntime itself says, and what Dawn printed on stderr in a child: the message names the adapter and Dawn's reason.
    const ortError = await ort.InferenceSession.create(tinyGraph(), {
      executionProviders: ["webgpu"],
      logSeverityLevel: 4,
    }).then(
      () => null,
      (e: Error) => e,
    );
    expect(ortError?.message).toMatch(/Failed to get a WebGPU adapter/);
    const probe = await probeWebGpuInChild(tinyGraph());
    expect(probe.ok).toBe(false);
    expect(probe.warnings.join("\n")).toMatch(/libvulkan\.so\.1/);
    expect(explainProviderFailure("webgpu", ortError, probe.warnings)).toMatch(
      /^no WebGPU adapter: .*\(Dawn: "Couldn't load Vulkan: libvulkan\.so\.1/,
    );
  });

  it("the CLI: --device webgpu exits 1 with the reason; --device auto falls back to the CPU and says why", () => {
    const dir = makeTempDir("dev-out");
    const args = tinyDirs();
    const webgpu = cli(["attribute", ...args, "--out", join(dir, "w.json"), "--device", "webgpu"]);
    const auto = cli(["attribute", ...args, "--out", join(dir, "a.json"), "--device", "auto"]);
    expect(auto.status, auto.stderr).toBe(0);
    if (webgpu.status === 0) {
      // A machine with a working adapter: auto takes it too (unless CUDA came first).
      expect(webgpu.stderr).toMatch(/execution: onnx\/webgpu/);
      expect(auto.stderr).toMatch(/execution: onnx\/(webgpu|cuda)/);
      return;
    }
    expect(webgpu.status).toBe(1);
    expect(webgpu.stderr).toMatch(WEBGPU_REFUSAL);
    expect(auto.stderr).toMatch(
      /onnxruntime: device auto: webgpu unavailable \((no Vulkan loader|no Vulkan driver|no WebGPU adapter)[^\n]*\); using CPU/,
    );
    expect(auto.stderr).toMatch(/execution: onnx\/cpu/);
    if (cudaPrecondition()) expect(auto.stderr).toMatch(/device auto: cuda unavailable \(the CUDA provider library/);
  });

  it("--device cpu is the plain CPU session (no profiling, no wrapper)", async () => {
    const before = readdirSync(tmpdir()).filter((f) => f.startsWith("circuitboard-ort-profile-")).length;
    const { session, provider } = await createOnnxSession(tinyGraph(), "cpu");
    expect(provider).toBe("cpu");
    expect(Object.hasOwn(session, "run")).toBe(false); // not wrapped by the provider report
    expect(Array.from((await session.run(feeds())).y!.data as Float32Array)).toEqual([2, 1, 4, 5]);
    await session.release();
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith("circuitboard-ort-profile-")).length).toBe(before);
  });

  it("reports which provider ran each node, from onnxruntime's profile of the first run", async () => {
    const { options, dir } = profilingOptions();
    const raw = await ort.InferenceSession.create(tinyGraph(), { ...options, executionProviders: ["cpu"] });
    const lines: string[] = [];
    let report: ProviderReport | null = null;
    const session = reportProvidersAfterFirstRun(
      raw,
      dir,
      "cpu session",
      (l) => lines.push(l),
      (r) => (report = r),
    );
    expect(session.inputNames).toEqual(["x"]);
    expect(Array.from((await session.run(feeds())).y!.data as Float32Array)).toEqual([2, 1, 4, 5]);
    await session.run(feeds());
    expect(lines).toHaveLength(1); // the first run only
    // MatMul, Relu, Add and the output Identity (which ORT may optimise away): every one on the CPU provider.
    const cpuNodes = report!.nodesByProvider.CPUExecutionProvider!;
    expect(cpuNodes).toBeGreaterThanOrEqual(3);
    expect(Object.keys(report!.nodesByProvider)).toEqual(["CPUExecutionProvider"]);
    expect(report!.cpuOps).toMatchObject({ MatMul: 1, Relu: 1, Add: 1 });
    expect(lines[0]).toMatch(new RegExp(`^cpu session: ${cpuNodes} on the CPU \\(.*MatMul 1`));
    expect(existsSync(dir)).toBe(false);
    await session.release();
    expect(
      formatProviderReport("webgpu session", {
        nodesByProvider: { WebGpuExecutionProvider: 40, CPUExecutionProvider: 3 },
        cpuOps: { Range: 2, ConstantOfShape: 1 },
      }),
    ).toBe("webgpu session: 40 nodes on WebGpuExecutionProvider, 3 on the CPU (Range 2, ConstantOfShape 1)");
  });
});

// The GPU check's stage (c) writes its Gemma-2-2B-shaped checkpoint with Python on the GPU machine
// (bench/gpu-check/reference.py); the same writer at toy size must give files the worker reads and attributes.
const hasNumpy = spawnSync("python3", ["-c", "import numpy"]).status === 0;
describe.skipIf(!hasNumpy)("the GPU check's checkpoint writer (bench/gpu-check/reference.py)", () => {
  it("writes a sharded BF16 Gemma-2 checkpoint, a tokenizer and TopK transcoders the attribute command runs on", () => {
    const dir = makeTempDir("g2-small");
    const py = spawnSync("python3", ["bench/gpu-check/reference.py", "write-gemma2-2b", dir, "--small"], {
      encoding: "utf8",
    });
    expect(py.status, py.stderr).toBe(0);
    const index = JSON.parse(readFileSync(join(dir, "model", "model.safetensors.index.json"), "utf8"));
    expect(new Set(Object.values(index.weight_map)).size).toBe(4);
    const out = join(dir, "graph.json");
    const run = cli([
      "attribute",
      "--model",
      join(dir, "model"),
      "--transcoders",
      join(dir, "transcoders"),
      "--prompt",
      "a b c d e f g h i j k l m n o",
      "--out",
      out,
      "--device",
      "cpu",
    ]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/model gemma2: 4 layers, d_model 64, 4 heads \(2 kv\), vocab 300/);
    expect(run.stderr).toMatch(
      /transcoders transcoder_set: 4 × 256 features, reads ln2.hook_normalized, writes hook_mlp_out, topk/,
    );
    // 15 letters + BOS; TopK 8 on each of 4 layers at the 15 positions after BOS.
    expect(run.stderr).toMatch(/480 active features, 16 tokens, 4 layers/);
    const graph = JSON.parse(readFileSync(out, "utf8"));
    expect(graph.metadata.prompt_tokens).toHaveLength(16);
  });
});
