// Benchmark: a real-size run on the CPU (issue 16, item 2). Writes a Gemma-2-2B-shaped random checkpoint
// (26 layers, d 2304, GeGLU 9216, 8 query / 4 kv heads of 256, vocabulary 256,000, BF16, sharded with
// model.safetensors.index.json as on the hub) and GemmaScope-shaped per-layer transcoders (16,384 JumpReLU
// features per layer, circuit-tracer's layer_{l}.safetensors layout, thresholds set so that about 64
// features fire per token), then attributes a 16-token prompt with --max-feature-nodes 500 through the
// worker's own path (loadWorkerModel + generateGraph, in a child process so its peak RSS is its own).
// Reports load time, per-phase times, peak RSS and disk used.
//
//   npx tsx bench/attribution-gemma2-2b.ts                       the full size: ≈ 13 GB disk, ~20 GB RAM;
//                                                                run by hand when `free -g` shows it free
//   npx tsx bench/attribution-gemma2-2b.ts --layers 2 --vocab 32000   a scaled-down shape (same widths)
//   options: --layers N --vocab V --d-model D --d-mlp M --heads H --kv-heads K --head-dim E --features F
//            --active A (features firing per token) --tokens T --max-feature-nodes M --shards S
//            --dir DIR (default bench/out/gemma2-2b-shaped/<shape>) --keep (keep the files; default: delete)
//            --force (run even when the estimate exceeds the free memory)
//
// Why the thresholds give A active features: the transcoders read ln2.hook_normalized, Gemma-2's
// pre-feedforward RMSNorm output; with its weights w = 0 (HF stores w in x̂ · (1 + w)) that input has RMS
// exactly 1, so |x| = √d, and a feature's pre-activation W_enc[i] · x (b_enc = 0, W_enc i.i.d. with std σ)
// is close to N(0, σ² d). θ = z σ √d with P(N(0, 1) > z) = A / F fires about A of F features per token.

import { fork } from "node:child_process";
import { closeSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { freemem, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { DEFAULT_ATTRIBUTE_OPTIONS } from "~/gpu-worker/src/engine/attribution/attribute";
import { generateGraph, loadWorkerModel } from "~/gpu-worker/src/generate-graph";
import { seededRandom } from "~/gpu-worker/src/util/seeded-random";
import type { SafetensorsDtype } from "~/gpu-worker/src/models/safetensors-file";
import {
  createSafetensorsFile,
  encodeFloats,
  safetensorsLayout,
  writeFully,
  type TensorSpec,
} from "~/gpu-worker/src/models/write-safetensors";
import { writeTinyTokenizer } from "./attribution-models";

interface Shape {
  layers: number;
  vocab: number;
  d: number;
  dMlp: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  features: number;
  active: number;
  shards: number;
}

const argv = process.argv.slice(2);
const value = (name: string, fallback: number) => {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(argv[i + 1]);
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name}: expected a positive integer, got "${argv[i + 1]}"`);
  return v;
};
const flag = (name: string) => argv.includes(`--${name}`);
const GB = 1e9;

// ---------------------------------------------------------------------------------------------------------
// Writing, tensor by tensor in chunks: never more than one chunk of values in memory.

/** Values uniform in [-a, a] (std a/√3), generated and written 16 M at a time. */
function writeUniform(fd: number, at: number, count: number, a: number, dtype: SafetensorsDtype, seed: number) {
  const rand = seededRandom(seed);
  const CHUNK = 1 << 24;
  const buffer = new Float32Array(Math.min(CHUNK, count));
  const width = dtype === "F32" ? 4 : 2;
  for (let done = 0; done < count; done += CHUNK) {
    const n = Math.min(CHUNK, count - done);
    const chunk = buffer.subarray(0, n);
    for (let i = 0; i < n; i++) chunk[i] = (2 * rand() - 1) * a;
    writeFully(fd, encodeFloats(chunk, dtype), at + done * width);
  }
}

function writeTensors(
  path: string,
  dtype: SafetensorsDtype,
  tensors: { spec: TensorSpec; fill: { uniform: number } | { constant: Float32Array } | { zero: true } }[],
  seed: number,
) {
  const layout = safetensorsLayout(
    tensors.map((t) => t.spec),
    dtype,
    { format: "pt" },
  );
  const fd = createSafetensorsFile(path, layout); // full size, zeros: a zero tensor needs no writing
  try {
    tensors.forEach(({ spec, fill }, k) => {
      const at = layout.begin.get(spec.name)!;
      const count = spec.shape.reduce((a, b) => a * b, 1);
      if ("uniform" in fill) writeUniform(fd, at, count, fill.uniform, dtype, seed * 1000 + k);
      else if ("constant" in fill) writeFully(fd, encodeFloats(fill.constant, dtype), at);
    });
  } finally {
    closeSync(fd);
  }
}

/** Φ⁻¹(1 − p) by bisection on the complementary error function (Abramowitz–Stegun 7.1.26, |ε| < 1.5e-7). */
function upperQuantile(p: number): number {
  const erfc = (x: number) => {
    const t = 1 / (1 + 0.3275911 * x);
    return (
      t *
      (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) *
      Math.exp(-x * x)
    );
  };
  let lo = 0,
    hi = 10;
  for (let i = 0; i < 100; i++) {
    const z = (lo + hi) / 2;
    if (0.5 * erfc(z / Math.SQRT2) > p) lo = z;
    else hi = z;
  }
  return (lo + hi) / 2;
}

function writeModel(dir: string, s: Shape) {
  mkdirSync(dir, { recursive: true });
  const { d, dMlp: m, heads: H, kvHeads: Hkv, headDim: dh, vocab: V } = s;
  writeFileSync(
    join(dir, "config.json"),
    JSON.stringify(
      {
        model_type: "gemma2",
        architectures: ["Gemma2ForCausalLM"],
        hidden_size: d,
        num_hidden_layers: s.layers,
        num_attention_heads: H,
        num_key_value_heads: Hkv,
        head_dim: dh,
        intermediate_size: m,
        vocab_size: V,
        max_position_embeddings: 8192,
        rms_norm_eps: 1e-6,
        rope_theta: 10000,
        hidden_activation: "gelu_pytorch_tanh",
        query_pre_attn_scalar: 256,
        attn_logit_softcapping: 50,
        final_logit_softcapping: 30,
        sliding_window: 4096,
        tie_word_embeddings: true,
        bos_token_id: 1,
        eos_token_id: 1,
        pad_token_id: 0,
        torch_dtype: "bfloat16",
      },
      null,
      2,
    ),
  );
  writeTinyTokenizer(dir); // letters only: ids < 16 of the 256,000-entry embedding
  const lin = (name: string, out: number, inp: number) => ({
    spec: { name, shape: [out, inp] },
    fill: { uniform: Math.sqrt(3 / inp) }, // std 1/√fan_in
  });
  const norm = (name: string) => ({ spec: { name, shape: [d] }, fill: { zero: true as const } }); // 1 + w = 1
  const all = [
    { spec: { name: "model.embed_tokens.weight", shape: [V, d] }, fill: { uniform: Math.sqrt(3 / d) } },
    ...Array.from({ length: s.layers }, (_, l) => {
      const h = `model.layers.${l}`;
      return [
        norm(`${h}.input_layernorm.weight`),
        lin(`${h}.self_attn.q_proj.weight`, H * dh, d),
        lin(`${h}.self_attn.k_proj.weight`, Hkv * dh, d),
        lin(`${h}.self_attn.v_proj.weight`, Hkv * dh, d),
        lin(`${h}.self_attn.o_proj.weight`, d, H * dh),
        norm(`${h}.post_attention_layernorm.weight`),
        norm(`${h}.pre_feedforward_layernorm.weight`),
        norm(`${h}.post_feedforward_layernorm.weight`),
        lin(`${h}.mlp.gate_proj.weight`, m, d),
        lin(`${h}.mlp.up_proj.weight`, m, d),
        lin(`${h}.mlp.down_proj.weight`, d, m),
      ];
    }).flat(),
    norm("model.norm.weight"),
  ];
  // Shards as on the hub: consecutive tensors, about equal bytes per shard.
  const bytes = (t: (typeof all)[number]) => 2 * t.spec.shape.reduce((a, b) => a * b, 1);
  const total = all.reduce((a, t) => a + bytes(t), 0);
  const name = (k: number) =>
    `model-${String(k + 1).padStart(5, "0")}-of-${String(s.shards).padStart(5, "0")}.safetensors`;
  const weight_map: Record<string, string> = {};
  const parts: (typeof all)[] = Array.from({ length: s.shards }, () => []);
  let before = 0;
  for (const t of all) {
    parts[Math.min(s.shards - 1, Math.floor((before * s.shards) / total))]!.push(t);
    before += bytes(t);
  }
  parts.forEach((part, k) => {
    if (part.length === 0) return;
    writeTensors(join(dir, name(k)), "BF16", part, 100 + k);
    part.forEach((t) => (weight_map[t.spec.name] = name(k)));
  });
  writeFileSync(
    join(dir, "model.safetensors.index.json"),
    JSON.stringify({ metadata: { total_size: total }, weight_map }, null, 2),
  );
}

function writeTranscoders(dir: string, s: Shape) {
  mkdirSync(dir, { recursive: true });
  const { d, features: F } = s;
  writeFileSync(
    join(dir, "config.yaml"),
    [
      "model_name: google/gemma-2-2b",
      "model_kind: transcoder_set",
      "feature_input_hook: ln2.hook_normalized",
      "feature_output_hook: hook_mlp_out",
      "scan: gemma2-2b-shaped-random",
    ].join("\n") + "\n",
  );
  const a = Math.sqrt(3 / d); // W_enc std σ = 1/√d, so pre-activations are ≈ N(0, 1)
  const theta = upperQuantile(s.active / F) * (a / Math.sqrt(3)) * Math.sqrt(d);
  for (let l = 0; l < s.layers; l++) {
    writeTensors(
      join(dir, `layer_${l}.safetensors`),
      "F32",
      [
        { spec: { name: "W_enc", shape: [F, d] }, fill: { uniform: a } },
        { spec: { name: "b_enc", shape: [F] }, fill: { zero: true } },
        { spec: { name: "W_dec", shape: [F, d] }, fill: { uniform: Math.sqrt(3 / s.active) * 0.1 } },
        { spec: { name: "b_dec", shape: [d] }, fill: { zero: true } },
        {
          spec: { name: "activation_function.threshold", shape: [F] },
          fill: { constant: new Float32Array(F).fill(theta) },
        },
      ],
      1000 + l,
    );
  }
  return theta;
}

function duBytes(dir: string): number {
  let n = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    n += entry.isDirectory() ? duBytes(path) : statSync(path).blocks * 512;
  }
  return n;
}

/** Parameters and the bytes the run holds at its peak, from the shapes (float32 in onnxruntime). */
function estimate(s: Shape) {
  const { d, dMlp: m, heads: H, kvHeads: Hkv, headDim: dh, vocab: V, layers: L, features: F } = s;
  const perLayer = d * H * dh * 2 + d * Hkv * dh * 2 + 3 * d * m;
  const params = V * d + L * perLayer;
  const forward = 4 * (params + V * d); // + the unembedding W_U = W_Eᵀ, a second copy in the forward session
  const adjoint = 4 * L * (d * H * dh + d * Hkv * dh); // W_Oᵀ, W_Vᵀ
  const encoders = 4 * L * F * d; // W_encᵀ in the transcoder session (JS reads encoder rows from the file)
  // Measured on scaled-down shapes: about 0.7 GB above what the sessions hold (runtime, graph, caches).
  return { params, diskBytes: 2 * params + 4 * L * 2 * F * d, peakBytes: forward + adjoint + encoders + 1e9 };
}

// ---------------------------------------------------------------------------------------------------------
// The run (child process).

async function runChild(modelDir: string, transcodersDir: string, tokens: number, maxFeatureNodes: number) {
  const phases: Record<string, number> = {};
  const log = (line: string) => {
    process.stderr.write(`  ${line}\n`);
    const phase = /^phase (.+): done in ([\d.]+) s/.exec(line);
    if (phase) phases[phase[1]!] = Number(phase[2]);
    const prune = /^pruning and scores: ([\d.]+) s/.exec(line);
    if (prune) phases["prune + scores"] = Number(prune[1]);
  };
  const started = performance.now();
  const w = await loadWorkerModel({ modelDir, transcodersDir, engine: "onnx", device: "cpu", log });
  const loadS = (performance.now() - started) / 1000;
  const rssLoaded = process.memoryUsage.rss();
  const prompt = Array.from({ length: tokens - 1 }, (_, i) => "abcdefghijklmn"[(i * 7 + 3) % 14]).join(" ");
  const graphStarted = performance.now();
  const { graph, file } = await generateGraph(w, prompt, {
    ...DEFAULT_ATTRIBUTE_OPTIONS,
    maxFeatureNodes,
    nodeThreshold: 0.8,
    edgeThreshold: 0.98,
    slug: "gemma2-2b-shaped",
    scan: null,
    log,
  });
  const graphS = (performance.now() - graphStarted) / 1000;
  await w.engine.dispose();
  return {
    loadS,
    graphS,
    phases,
    rssLoaded,
    maxRss: process.resourceUsage().maxRSS * 1024,
    tokens: graph.tokens.length,
    nAct: graph.active.layer.length,
    M: graph.selected.length,
    K: graph.logitTargets.length,
    nodes: file.nodes.length,
    links: file.links.count,
  };
}

async function main() {
  if (argv[0] === "--child") {
    const [modelDir, transcodersDir, tokens, maxFeatureNodes] = argv.slice(1);
    const result = await runChild(modelDir!, transcodersDir!, Number(tokens), Number(maxFeatureNodes));
    process.send!(result, () => process.exit(0));
    return;
  }
  const s: Shape = {
    layers: value("layers", 26),
    vocab: value("vocab", 256_000),
    d: value("d-model", 2304),
    dMlp: value("d-mlp", 9216),
    heads: value("heads", 8),
    kvHeads: value("kv-heads", 4),
    headDim: value("head-dim", 256),
    features: value("features", 16_384),
    active: value("active", 64),
    shards: value("shards", 3),
  };
  const tokens = value("tokens", 16);
  const maxFeatureNodes = value("max-feature-nodes", 500);
  const tag = `L${s.layers}-V${s.vocab}-d${s.d}-m${s.dMlp}-F${s.features}`;
  const i = argv.indexOf("--dir");
  const root = i >= 0 ? argv[i + 1]! : join(import.meta.dirname, "out", "gemma2-2b-shaped", tag);
  const e = estimate(s);
  console.log(`# Gemma-2-2B-shaped CPU run (${new Date().toISOString()})`);
  console.log(
    `shape: ${s.layers} layers, d ${s.d}, d_mlp ${s.dMlp}, ${s.heads} heads / ${s.kvHeads} kv of ${s.headDim}, vocab ${s.vocab}, BF16 in ${s.shards} shards; ${s.layers} × ${s.features} JumpReLU features (≈ ${s.active} active per token)`,
  );
  console.log(
    `${(e.params / 1e9).toFixed(2)} B model parameters; estimate: ${(e.diskBytes / GB).toFixed(1)} GB disk, peak ≈ ${(e.peakBytes / GB).toFixed(1)} GB RAM; free now ${(freemem() / GB).toFixed(1)} of ${(totalmem() / GB).toFixed(1)} GB; load average ${loadavg()
      .map((v) => v.toFixed(2))
      .join(" / ")}`,
  );
  if (e.peakBytes > freemem() && !flag("force")) {
    console.log("not run: the estimated peak exceeds the free memory (--force to run anyway)");
    process.exitCode = 1;
    return;
  }
  const modelDir = join(root, "model"),
    transcodersDir = join(root, "transcoders");
  const stampPath = join(root, "shape.json");
  const stamp = JSON.stringify(s);
  let writeS = 0;
  if (!existsSync(stampPath) || readFileSync(stampPath, "utf8") !== stamp) {
    rmSync(root, { recursive: true, force: true });
    const t = performance.now();
    writeModel(modelDir, s);
    const theta = writeTranscoders(transcodersDir, s);
    writeFileSync(stampPath, stamp);
    writeS = (performance.now() - t) / 1000;
    console.log(
      `wrote the checkpoint and transcoders in ${writeS.toFixed(0)} s (JumpReLU threshold θ = ${theta.toFixed(4)})`,
    );
  }
  const disk = { model: duBytes(modelDir), transcoders: duBytes(transcodersDir) };
  try {
    const r = await new Promise<Awaited<ReturnType<typeof runChild>>>((resolve, reject) => {
      const child = fork(
        import.meta.filename,
        ["--child", modelDir, transcodersDir, String(tokens), String(maxFeatureNodes)],
        { stdio: ["ignore", "inherit", "inherit", "ipc"] },
      );
      let result: Awaited<ReturnType<typeof runChild>> | null = null;
      child.on("message", (m: Awaited<ReturnType<typeof runChild>>) => (result = m));
      child.on("exit", (code, signal) =>
        result ? resolve(result) : reject(new Error(`the run exited with ${signal ?? code} (out of memory?)`)),
      );
    });
    console.log(
      `\nprompt ${r.tokens} tokens: ${r.nAct} active features (${(r.nAct / Math.max(1, (r.tokens - 1) * s.layers)).toFixed(1)} per token and layer), ${r.M} feature rows, ${r.K} logits; graph file ${r.nodes} nodes, ${r.links} links`,
    );
    console.log(`load (model + sessions): ${r.loadS.toFixed(1)} s; graph: ${r.graphS.toFixed(1)} s`);
    for (const [phase, seconds] of Object.entries(r.phases)) console.log(`  ${phase}: ${seconds.toFixed(2)} s`);
    console.log(
      `peak RSS ${(r.maxRss / GB).toFixed(2)} GB (after load ${(r.rssLoaded / GB).toFixed(2)} GB); disk: model ${(disk.model / GB).toFixed(2)} GB, transcoders ${(disk.transcoders / GB).toFixed(2)} GB`,
    );
  } finally {
    if (!flag("keep")) rmSync(root, { recursive: true, force: true });
  }
}

await main();
