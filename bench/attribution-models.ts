// The models the attribution benchmark runs on (bench/attribution.ts): the demo model when it has been
// trained into gpu-worker/assets/, and random models written in the real file formats by the worker
// tests' own writers (test/worker/helpers/tiny-model.ts), so the benchmark goes through the production
// loaders exactly as the tests do. Written once into bench/out/attribution/ and reused while the spec
// (seeds included) is unchanged.

import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { register } from "node:module";
import { join } from "node:path";

// tiny-model.ts registers a vitest `afterAll` (temp-dir cleanup) when it is imported, which throws
// outside the vitest runner. This resolve hook hands the test helpers a no-op `afterAll` instead; it
// applies to imports from test/worker/helpers/ only. (The engine-side fix would be to move
// makeTempDir and its afterAll into their own helper file; see the benchmark report.)
register(
  "data:text/javascript," +
    encodeURIComponent(`
export async function resolve(specifier, context, next) {
  if (specifier === "vitest" && context.parentURL && context.parentURL.includes("/test/worker/helpers/")) {
    return { url: "data:text/javascript,export const afterAll = () => {};", shortCircuit: true };
  }
  return next(specifier, context);
}`),
);
const { writeTinyModel, writeTinyTranscoders, writeTinyTokenizer } = await import("~/test/worker/helpers/tiny-model");
export { writeTinyTokenizer };
type TinyModelSpec = Parameters<typeof writeTinyModel>[1];
type TinyTranscoderSpec = Parameters<typeof writeTinyTranscoders>[1];

export const OUT_DIR = join(import.meta.dirname, "out", "attribution");
export const DEMO_MODEL_DIR = join(import.meta.dirname, "..", "gpu-worker", "assets", "circuitboard-demo-gpt2");
export const DEMO_TRANSCODERS_DIR = `${DEMO_MODEL_DIR}-transcoders`;

export interface BenchModel {
  name: string;
  modelDir: string;
  transcodersDir: string;
  /** One line for the table header: the shapes that set the cost. */
  summary: string;
  /** Words the prompt is built from: any sequence of them tokenizes to about one token per word. */
  words: string[];
}

interface RandomModelSpec {
  name: string;
  model: TinyModelSpec;
  transcoders: TinyTranscoderSpec;
  /** config.json fields overwritten after writing (the test writer's tiny-model settings, e.g. a 64-token context). */
  configPatch: Record<string, unknown>;
}

/**
 * The default random model: 6 layers, d_model 512 (8 heads of 64), SwiGLU 2048; Llama layout because
 * the test writer's GPT-2 has only 32 learned positions. Per-layer transcoders, 8,192 features with
 * TopK 64 (0.8 % density; GemmaScope's 16k transcoders sit at L0 ≈ 50–150) and no skip connection,
 * like the demo model's transcoders (a skip adds a d × d product per layer: about a third more adjoint work). The vocabulary is the writer's 16 letters, which
 * makes the forward's unembedding negligible: only phase 0 would grow with a real vocabulary.
 */
export const RANDOM_D512: RandomModelSpec = {
  name: "random-llama-6x512",
  model: { arch: "llama", n_layers: 6, d_model: 512, n_heads: 8, n_kv_heads: 8, d_mlp: 2048, seed: 1701 },
  transcoders: {
    kind: "transcoder_set",
    n_layers: 6,
    d_model: 512,
    d_transcoder: 8192,
    activation: "topk",
    k: 64,
    feature_input_hook: "mlp.hook_in",
    feature_output_hook: "hook_mlp_out",
    seed: 1702,
  },
  configPatch: { max_position_embeddings: 2048 },
};

/**
 * Gemma-2-2B shapes (26 layers, d 2304, 8 query / 4 kv heads, GeGLU 9216) with Gemma-2-2B's
 * attention settings (the test writer fixes d_head = d / H = 288 where Gemma has 256: 12 % more
 * attention weights), and GemmaScope-sized per-layer transcoders (16,384 features; TopK 64 stands in
 * for JumpReLU so the density is fixed). Weights are stored BF16 in 4 shards, as the real checkpoint.
 * Vocabulary: the writer's 16 letters instead of 256,000 (the 590 M embedding parameters only cost
 * the forward). See GEMMA2_2B_COST for what it takes.
 */
export const RANDOM_GEMMA2_2B: RandomModelSpec = {
  name: "random-gemma2-2b",
  model: {
    arch: "gemma2",
    n_layers: 26,
    d_model: 2304,
    n_heads: 8,
    n_kv_heads: 4,
    d_mlp: 9216,
    seed: 2201,
    dtype: "BF16",
    shards: 4,
  },
  transcoders: {
    kind: "transcoder_set",
    n_layers: 26,
    d_model: 2304,
    d_transcoder: 16384,
    activation: "topk",
    k: 64,
    feature_input_hook: "ln2.hook_normalized",
    feature_output_hook: "hook_mlp_out",
    seed: 2202,
  },
  configPatch: {
    query_pre_attn_scalar: 256,
    attn_logit_softcapping: 50,
    final_logit_softcapping: 30,
    sliding_window: 4096,
    max_position_embeddings: 8192,
  },
};

/**
 * What the Gemma-2-2B-sized case needs, worked out from the shapes (not measured: it does not fit this
 * 2-core / 25 GB machine). Parameters: 26 × (q, o 2·2304·2304 + k, v 2·1152·2304 + GeGLU 3·2304·9216)
 * = 2.07 G. Writing: the test writer holds every tensor as float32 (8.3 GB) plus one BF16 shard; on disk
 * 4.1 GB of model, 7.9 GB of float32 transcoders, and the forward graph's 8.3 GB external-data file
 * while its session loads. Running: float32 weights in JS (8.3 GB) + the forward session's copy (8.3 GB)
 * + the adjoint's W_Oᵀ, W_Vᵀ (0.8 GB) + W_enc in JS and in the transcoder session (2 × 3.9 GB) ≈ 25 GB
 * before any graph; a 128-token graph adds the working rows E, 7,510 × (211,328 + 27·128) floats
 * ≈ 6.5 GB. Adjoint work per full batch (B = 256, t = 128, all 26 layers): 26 × (W_Oᵀ 348 + W_Vᵀ 174
 * + patterns 19 + decoder rows 10) GFLOP ≈ 14 TFLOP; ~30 feature batches ≈ 0.2–0.4 PFLOP: one to two
 * hours at the ~60 GFLOP/s this engine reaches on a CPU, some tens of seconds on an H100.
 */
export const GEMMA2_2B_COST = { ramBytes: 32e9, diskBytes: 12e9 + 8e9 } as const;

export async function ensureRandomModel(spec: RandomModelSpec, log: (line: string) => void): Promise<BenchModel> {
  const dir = join(OUT_DIR, spec.name);
  const modelDir = join(dir, "model");
  const transcodersDir = join(dir, "transcoders");
  const stamp = JSON.stringify({ model: spec.model, transcoders: spec.transcoders, configPatch: spec.configPatch });
  const stampPath = join(dir, "spec.json");
  if (!existsSync(stampPath) || readFileSync(stampPath, "utf8") !== stamp) {
    const started = performance.now();
    log(`writing ${spec.name} to ${dir} …`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeTinyModel(modelDir, spec.model);
    const configPath = join(modelDir, "config.json");
    writeFileSync(
      configPath,
      JSON.stringify({ ...JSON.parse(readFileSync(configPath, "utf8")), ...spec.configPatch }, null, 2),
    );
    writeTinyTranscoders(transcodersDir, spec.transcoders);
    writeFileSync(stampPath, stamp);
    log(`wrote ${spec.name} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  const m = spec.model,
    t = spec.transcoders;
  return {
    name: spec.name,
    modelDir,
    transcodersDir,
    summary: `${m.arch}, ${m.n_layers} layers, d_model ${m.d_model}, ${m.n_heads} heads (${m.n_kv_heads ?? m.n_heads} kv), d_mlp ${m.d_mlp}; ${t.kind} ${t.d_transcoder} features, ${t.activation}${t.k ? ` k=${t.k}` : ""}${t.skip ? " + skip" : ""}`,
    words: "abcdefghijklmn".split(""),
  };
}

/** The demo model, when its model and transcoder directories are both complete. */
export function findDemoModel(): BenchModel | null {
  const needed = [
    join(DEMO_MODEL_DIR, "config.json"),
    join(DEMO_MODEL_DIR, "tokenizer.json"),
    join(DEMO_TRANSCODERS_DIR, "config.yaml"),
  ];
  if (!needed.every((path) => existsSync(path))) return null;
  const config = JSON.parse(readFileSync(join(DEMO_MODEL_DIR, "config.json"), "utf8")) as Record<string, unknown>;
  return {
    name: "demo-gpt2",
    modelDir: DEMO_MODEL_DIR,
    transcodersDir: DEMO_TRANSCODERS_DIR,
    summary: `${String(config.model_type)}, ${String(config.n_layer)} layers, d_model ${String(config.n_embd)}, vocab ${String(config.vocab_size)}`,
    // Common short English words: GPT-2-style BPE gives one token each (with their leading space).
    words: "the cat sat on a mat and then it saw one dog in the park so they ran to him but he was not there".split(
      " ",
    ),
  };
}
