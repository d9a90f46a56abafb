import { existsSync, readFileSync, readdirSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import type { ActivationFunction } from "./activation-function";
import { parseFlatYaml, type FlatYamlValue } from "./parse-flat-yaml";
import { NpzFile } from "./read-npz";
import { SafetensorsFile } from "./safetensors-file";
import { lazyTensor, sameShape, shapeString, transpose2d, type Tensor } from "./tensor";
import {
  eagerDecoderRows,
  lazyDecoderRows,
  type DecoderRows,
  type FeatureInputHook,
  type FeatureOutputHook,
  type TranscoderLayer,
  type TranscoderSet,
} from "./transcoder-set";

const INPUT_HOOKS: FeatureInputHook[] = ["hook_resid_mid", "ln2.hook_normalized", "mlp.hook_in"];
const OUTPUT_HOOKS: FeatureOutputHook[] = ["hook_mlp_out", "mlp.hook_out"];

/**
 * Loads a transcoder set in circuit-tracer's local layout (reference §5.1, §5.2, §5.5):
 *   per-layer:   config.yaml + layer_{i}.safetensors (or the files listed under `transcoders:`,
 *                which may be GemmaScope `params.npz` files, reference §5.3)
 *   cross-layer: config.yaml + W_enc_{l}.safetensors + W_dec_{l}.safetensors
 * Activation: `activation: topk` (+ `k`) or `relu` from the config; otherwise JumpReLU when the
 * file has a threshold tensor, else ReLU (the library's fallback).
 */
export function loadTranscoderSet(dir: string, options: { lazyDecoder?: boolean } = {}): TranscoderSet {
  const lazy = options.lazyDecoder ?? true;
  const configPath = join(dir, "config.yaml");
  const cfg = parseFlatYaml(readFileSync(configPath, "utf8"), configPath);
  const str = (key: string): string | null => (typeof cfg[key] === "string" ? (cfg[key] as string) : null);
  const kind = str("model_kind") ?? "transcoder_set";
  if (kind !== "transcoder_set" && kind !== "cross_layer_transcoder") {
    throw new Error(
      `${configPath}: model_kind "${kind}" is not supported; expected transcoder_set or cross_layer_transcoder`,
    );
  }
  const feature_input_hook = str("feature_input_hook") as FeatureInputHook | null;
  const feature_output_hook = str("feature_output_hook") as FeatureOutputHook | null;
  if (!feature_input_hook || !INPUT_HOOKS.includes(feature_input_hook)) {
    throw new Error(
      `${configPath}: feature_input_hook ${JSON.stringify(cfg.feature_input_hook)}; expected one of ${INPUT_HOOKS.join(", ")}`,
    );
  }
  if (!feature_output_hook || !OUTPUT_HOOKS.includes(feature_output_hook)) {
    throw new Error(
      `${configPath}: feature_output_hook ${JSON.stringify(cfg.feature_output_hook)}; expected one of ${OUTPUT_HOOKS.join(", ")}`,
    );
  }
  const configured = configuredActivation(cfg, configPath);
  const layers =
    kind === "transcoder_set" ? loadPerLayer(dir, cfg, configured, lazy) : loadCrossLayer(dir, configured, lazy);
  const first = layers[0]!;
  return {
    kind,
    n_layers: layers.length,
    d_model: first.W_enc.shape[1]!,
    d_transcoder: first.W_enc.shape[0]!,
    feature_input_hook,
    feature_output_hook,
    scan: str("scan") ?? dir,
    model_name: str("model_name"),
    layers,
  };
}

function configuredActivation(cfg: Record<string, FlatYamlValue>, where: string): ActivationFunction | null {
  const a = cfg.activation;
  if (a === undefined || a === null) return null;
  if (a === "relu") return { kind: "relu" };
  if (a === "topk") {
    if (typeof cfg.k !== "number" || !Number.isInteger(cfg.k) || cfg.k < 1) {
      throw new Error(`${where}: activation topk needs a positive integer "k", got ${JSON.stringify(cfg.k)}`);
    }
    return { kind: "topk", k: cfg.k };
  }
  throw new Error(
    `${where}: activation ${JSON.stringify(a)} is not supported; expected relu or topk (JumpReLU is inferred from a threshold tensor)`,
  );
}

function take(file: SafetensorsFile, name: string, expected: readonly number[]): Tensor {
  checkEntry(file, name, expected);
  return file.read(name);
}

function pickActivation(
  configured: ActivationFunction | null,
  file: SafetensorsFile,
  thresholdName: string,
  F: number,
): ActivationFunction {
  if (configured) return configured;
  if (file.entries.has(thresholdName)) return { kind: "jumprelu", threshold: take(file, thresholdName, [F]).data };
  return { kind: "relu" };
}

/** W_enc [F, d] of a safetensors file: read now, or (lazy) on demand, whole for the session and by rows for targets. */
function encoder(
  file: SafetensorsFile,
  name: string,
  expected: number[],
  lazy: boolean,
): Pick<TranscoderLayer, "W_enc" | "encoderRows"> {
  if (!lazy) return { W_enc: take(file, name, expected) };
  checkEntry(file, name, expected);
  return {
    W_enc: lazyTensor(expected, () => file.read(name).data),
    encoderRows: lazyDecoderRows(expected, (indices) => file.readRowSet(name, indices)),
  };
}

function checkEntry(file: SafetensorsFile, name: string, expected: readonly number[]): void {
  const entry = file.entries.get(name);
  if (!entry)
    throw new Error(`transcoder: ${file.path}: missing tensor "${name}" (expected shape ${shapeString(expected)})`);
  if (!sameShape(entry.shape, expected))
    throw new Error(
      `transcoder: ${file.path}: tensor "${name}" has shape ${shapeString(entry.shape)}, expected ${shapeString(expected)}`,
    );
}

/**
 * Decoder rows of tensor `name`, checked against `expected`, read on demand (with a per-row cache)
 * or all at once.
 */
function decoderRows(file: SafetensorsFile, name: string, expected: number[], lazy: boolean): DecoderRows {
  if (!lazy) return eagerDecoderRows(take(file, name, expected));
  checkEntry(file, name, expected);
  return lazyDecoderRows(expected, (indices) => file.readRowSet(name, indices));
}

function loadPerLayer(
  dir: string,
  cfg: Record<string, FlatYamlValue>,
  configured: ActivationFunction | null,
  lazy: boolean,
): TranscoderLayer[] {
  let paths: string[];
  if (Array.isArray(cfg.transcoders)) {
    paths = cfg.transcoders.map((p, l) => {
      if (typeof p !== "string" || p.startsWith("hf://")) {
        throw new Error(
          `${dir}/config.yaml: transcoders[${l}] = ${JSON.stringify(p)}; only local paths are supported (download hf:// files first)`,
        );
      }
      return isAbsolute(p) ? p : join(dir, p);
    });
  } else {
    const count = readdirSync(dir).filter((f) => /^layer_\d+\.safetensors$/.test(f)).length;
    if (count === 0) throw new Error(`transcoder: ${dir}: no layer_{i}.safetensors files`);
    paths = Array.from({ length: count }, (_, l) => join(dir, `layer_${l}.safetensors`));
  }
  return paths.map((path) => {
    if (!existsSync(path)) throw new Error(`transcoder: ${path} does not exist`);
    if (path.endsWith(".npz")) return loadGemmaScopeNpz(path, configured, lazy);
    const file = SafetensorsFile.open(path);
    const encShape = file.entries.get("W_enc")?.shape;
    if (!encShape || encShape.length !== 2) throw new Error(`transcoder: ${path}: missing 2-D tensor "W_enc" [F, d]`);
    const [F, d] = encShape as [number, number];
    const layer: TranscoderLayer = {
      ...encoder(file, "W_enc", [F, d], lazy),
      b_enc: take(file, "b_enc", [F]),
      W_dec: decoderRows(file, "W_dec", [F, d], lazy),
      b_dec: take(file, "b_dec", [d]),
      W_skip: file.entries.has("W_skip") ? transpose2d(take(file, "W_skip", [d, d])) : null,
      activation: pickActivation(configured, file, "activation_function.threshold", F),
    };
    if (!lazy) file.close(); // a lazy decoder keeps the one handle of its file
    return layer;
  });
}

/**
 * GemmaScope (v1) params.npz: W_enc [d, F] (transposed relative to circuit-tracer, so transposed
 * here), W_dec [F, d], b_enc [F], b_dec [d], threshold [F] → JumpReLU (reference §5.3).
 */
function loadGemmaScopeNpz(path: string, configured: ActivationFunction | null, lazy: boolean): TranscoderLayer {
  const file = NpzFile.open(path);
  const check = (name: string, found: number[], shape?: number[]) => {
    if (shape && !sameShape(found, shape))
      throw new Error(
        `transcoder: ${path}: array "${name}" has shape ${shapeString(found)}, expected ${shapeString(shape)}`,
      );
  };
  const get = (name: string, shape?: number[]): Tensor => {
    if (!file.members.has(name))
      throw new Error(
        `transcoder: ${path}: missing array "${name}"${shape ? ` (expected shape ${shapeString(shape)})` : ""}`,
      );
    const t = file.read(name);
    check(name, t.shape, shape);
    return t;
  };
  const decoder = (shape: number[]): DecoderRows => {
    const layout = file.members.has("W_dec") ? file.layout("W_dec") : null;
    // A stored float32 member is read row by row; a deflated one can only be inflated whole.
    if (!lazy || !layout || layout.descr !== "<f4") return eagerDecoderRows(get("W_dec", shape));
    check("W_dec", layout.shape, shape);
    return lazyDecoderRows(shape, (indices) => file.readRowSet(layout, "W_dec", indices));
  };
  const W_enc = get("W_enc");
  const encShape = W_enc.shape;
  if (encShape.length !== 2)
    throw new Error(`transcoder: ${path}: array "W_enc" has shape ${shapeString(encShape)}, expected [d, F]`);
  const [d, F] = encShape as [number, number];
  const layer: TranscoderLayer = {
    W_enc: transpose2d(W_enc),
    b_enc: get("b_enc", [F]),
    W_dec: decoder([F, d]),
    b_dec: get("b_dec", [d]),
    W_skip: null,
    activation:
      configured ??
      (file.members.has("threshold") ? { kind: "jumprelu", threshold: get("threshold", [F]).data } : { kind: "relu" }),
  };
  if (!lazy) file.close(); // a lazy decoder keeps the one handle of its file
  return layer;
}

function loadCrossLayer(dir: string, configured: ActivationFunction | null, lazy: boolean): TranscoderLayer[] {
  const L = readdirSync(dir).filter((f) => /^W_enc_\d+\.safetensors$/.test(f)).length;
  if (L === 0) throw new Error(`transcoder: ${dir}: no W_enc_{l}.safetensors files`);
  const layers: TranscoderLayer[] = [];
  for (let l = 0; l < L; l++) {
    const enc = SafetensorsFile.open(join(dir, `W_enc_${l}.safetensors`));
    const dec = SafetensorsFile.open(join(dir, `W_dec_${l}.safetensors`));
    const encShape = enc.entries.get(`W_enc_${l}`)?.shape;
    if (!encShape || encShape.length !== 2)
      throw new Error(`transcoder: ${enc.path}: missing 2-D tensor "W_enc_${l}" [F, d]`);
    const [F, d] = encShape as [number, number];
    layers.push({
      ...encoder(enc, `W_enc_${l}`, [F, d], lazy),
      b_enc: take(enc, `b_enc_${l}`, [F]),
      W_dec: decoderRows(dec, `W_dec_${l}`, [F, L - l, d], lazy),
      b_dec: take(enc, `b_dec_${l}`, [d]),
      W_skip: null, // the native CLT format carries no skip weights (reference §1.3)
      activation: pickActivation(configured, enc, `threshold_${l}`, F),
    });
    if (!lazy) (enc.close(), dec.close()); // lazy encoders and decoders keep their files' handles
  }
  return layers;
}
