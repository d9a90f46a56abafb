import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { applyActivation } from "~/gpu-worker/src/models/activation-function";
import { bf16ToFloat32, f16ToFloat32, float32ToBf16, float32ToF16 } from "~/gpu-worker/src/models/float16";
import { loadModelWeights } from "~/gpu-worker/src/models/load-model-weights";
import { ensureBos, loadTokenizer } from "~/gpu-worker/src/models/load-tokenizer";
import { loadTranscoderSet } from "~/gpu-worker/src/models/load-transcoder-set";
import { parseFlatYaml } from "~/gpu-worker/src/models/parse-flat-yaml";
import { SafetensorsFile } from "~/gpu-worker/src/models/safetensors-file";
import { transpose2d } from "~/gpu-worker/src/models/tensor";
import { decoderRow, encoderRow } from "~/gpu-worker/src/models/transcoder-set";
import { writeSafetensors } from "~/gpu-worker/src/models/write-safetensors";
import { expectClose } from "./helpers/check-close";
import { makeTempDir, writeTinyModel, writeTinyTranscoders, type TinyArch } from "./helpers/tiny-model";
import { makeRandom } from "./helpers/random";
import { writeNpz } from "./helpers/write-npz";

describe("safetensors", () => {
  const data = new Float32Array([0, 1, -2.5, 3.14159, 1e-3, -65504, 1e-7, 0.1]);
  const cases = [
    { dtype: "F32" as const, atol: 0, rtol: 0 },
    { dtype: "F16" as const, atol: 1e-7, rtol: 1e-3 }, // 10-bit mantissa; 1e-7 is an f16 subnormal
    { dtype: "BF16" as const, atol: 0, rtol: 4e-3 }, // 7-bit mantissa
  ];
  for (const c of cases) {
    it(`round-trips ${c.dtype} within its precision`, () => {
      const path = join(makeTempDir("st"), "t.safetensors");
      writeSafetensors(
        path,
        { a: { shape: [2, 4], data }, b: { shape: [1], data: new Float32Array([7]) } },
        { dtype: c.dtype, metadata: { format: "pt" } },
      );
      const file = SafetensorsFile.open(path);
      expect(file.metadata).toEqual({ format: "pt" });
      const a = file.read("a");
      expect(a.shape).toEqual([2, 4]);
      expectClose(`${c.dtype} a`, a.data, data, c.atol, c.rtol);
      expect(file.read("b").data[0]).toBe(7);
    });
  }

  it("half-precision encoders round to nearest even and decode exactly", () => {
    expect(f16ToFloat32(float32ToF16(1 + 2 ** -11))).toBe(1); // tie → even
    expect(f16ToFloat32(float32ToF16(1 + 3 * 2 ** -11))).toBe(1 + 2 ** -9);
    expect(bf16ToFloat32(float32ToBf16(1 + 2 ** -8))).toBe(1);
    expect(f16ToFloat32(0x7c00)).toBe(Infinity);
    expect(f16ToFloat32(0x0001)).toBe(2 ** -24);
  });
});

describe("model loading", () => {
  const archs: TinyArch[] = ["gpt2", "llama", "qwen3", "gemma2"];
  for (const arch of archs) {
    it(`loads a tiny ${arch} checkpoint sharded in 3 BF16 files with the same values as one F32 file`, () => {
      const spec = {
        arch,
        n_layers: 2,
        d_model: 8,
        n_heads: 2,
        n_kv_heads: arch === "gpt2" ? 2 : 1,
        d_mlp: 16,
        seed: 7,
      };
      const one = makeTempDir(`m-${arch}`);
      const sharded = makeTempDir(`ms-${arch}`);
      writeTinyModel(one, spec);
      writeTinyModel(sharded, { ...spec, dtype: "BF16", shards: 3 });
      const a = loadModelWeights(one);
      const b = loadModelWeights(sharded);
      expect(a.config.architecture).toBe(arch);
      expect(a.config.n_layers).toBe(2);
      expect(a.W_U.shape).toEqual([8, 16]);
      expect(a.layers[0]!.W_Q.shape).toEqual([8, 8]);
      expect(a.layers[1]!.W_K.shape).toEqual([8, arch === "gpt2" ? 8 : 4]);
      expectClose(`${arch} W_out`, b.layers[1]!.W_out.data, a.layers[1]!.W_out.data, 0, 4e-3);
      expect(a.layers[0]!.q_norm !== null).toBe(arch === "qwen3");
      expect(a.layers[0]!.ln2_post !== null).toBe(arch === "gemma2");
    });
  }

  for (const arch of archs) {
    it(`${arch}: a lazily loaded checkpoint has the eager one's values, keeps nothing after read(), and reads the unembedding by rows`, () => {
      const dir = makeTempDir(`lazy-${arch}`);
      writeTinyModel(dir, {
        arch,
        n_layers: 2,
        d_model: 8,
        n_heads: 2,
        n_kv_heads: arch === "gpt2" ? 2 : 1,
        d_mlp: 16,
        seed: 11,
        dtype: "BF16",
        shards: 2,
      });
      const eager = loadModelWeights(dir);
      const lazy = loadModelWeights(dir, { lazy: true });
      const pairs = (m: typeof eager) => [
        m.W_E,
        m.W_U,
        ...(m.W_pos ? [m.W_pos] : []),
        ...m.layers.flatMap((l) => [l.W_Q, l.W_K, l.W_V, l.W_O, l.W_in, l.W_out, ...(l.W_gate ? [l.W_gate] : [])]),
      ];
      const want = pairs(eager),
        got = pairs(lazy);
      expect(got.map((t) => t.shape)).toEqual(want.map((t) => t.shape));
      got.forEach((t, i) => {
        expect(t.read, "lazy tensors can be read without being kept").toBeTypeOf("function");
        const fresh = t.read!();
        expect(Array.from(fresh)).toEqual(Array.from(want[i]!.data));
        expect(t.read!()).not.toBe(fresh); // nothing kept: every read is a new array
      });
      expect(eager.unembedding).toBeUndefined();
      const [d, V] = eager.W_U.shape as [number, number];
      for (const t of [0, 5, V - 1]) {
        expect(Array.from(lazy.unembedding!.column(t))).toEqual(
          Array.from({ length: d }, (_, j) => eager.W_U.data[j * V + t]!),
        );
      }
      const mean = Array.from({ length: d }, (_, j) => {
        let s = 0;
        for (let v = 0; v < V; v++) s += eager.W_U.data[j * V + v]!;
        return s / V;
      });
      expect(Array.from(lazy.unembedding!.mean())).toEqual(mean);
    });
  }

  it("Gemma-2: folds (1 + w) into every RMSNorm weight, scales embeddings by √d, and reads the caps and local layers", () => {
    const dir = makeTempDir("gemma");
    writeTinyModel(dir, { arch: "gemma2", n_layers: 3, d_model: 8, n_heads: 2, n_kv_heads: 1, d_mlp: 16, seed: 5 });
    const m = loadModelWeights(dir);
    const raw = SafetensorsFile.open(join(dir, "model.safetensors"));
    const stored = raw.read("model.layers.1.pre_feedforward_layernorm.weight").data;
    expect(Array.from(m.layers[1]!.ln2.w.data)).toEqual(Array.from(stored, (w) => Math.fround(1 + w)));
    expect(m.layers[1]!.ln1_post!.w.data[0]).toBe(
      Math.fround(1 + raw.read("model.layers.1.post_attention_layernorm.weight").data[0]!),
    );
    expect(m.ln_f.w.data[3]).toBe(Math.fround(1 + raw.read("model.norm.weight").data[3]!));
    expect(m.config.embed_scale).toBe(Math.sqrt(8));
    expect(m.config.attn_scale).toBe(6 ** -0.5); // query_pre_attn_scalar, not head_dim
    expect([m.config.attn_softcap, m.config.final_softcap, m.config.sliding_window]).toEqual([1.5, 2.5, 3]);
    expect(m.config.sliding_layers).toEqual([true, false, true]);
  });

  it("names the file, tensor, expected and found shape when a tensor is mis-shaped", () => {
    const dir = makeTempDir("bad");
    writeTinyModel(dir, { arch: "llama", n_layers: 1, d_model: 8, n_heads: 2, d_mlp: 16, seed: 1 });
    const path = join(dir, "model.safetensors");
    const file = SafetensorsFile.open(path);
    const tensors = Object.fromEntries([...file.entries.keys()].map((n) => [n, file.read(n)]));
    tensors["model.layers.0.mlp.up_proj.weight"] = { shape: [15, 8], data: new Float32Array(120) };
    writeSafetensors(path, tensors);
    expect(() => loadModelWeights(dir)).toThrow(
      /model\.safetensors: tensor "model\.layers\.0\.mlp\.up_proj\.weight" has shape \[15, 8\], expected \[16, 8\]/,
    );
  });

  it("rejects an unknown architecture by name", () => {
    const dir = makeTempDir("arch");
    writeTinyModel(dir, { arch: "gpt2", n_layers: 1, d_model: 8, n_heads: 2, d_mlp: 16, seed: 1 });
    const cfg = JSON.parse(readFileSync(join(dir, "config.json"), "utf8"));
    writeFileSync(
      join(dir, "config.json"),
      JSON.stringify({ ...cfg, model_type: "mamba", architectures: ["MambaForCausalLM"] }),
    );
    expect(() => loadModelWeights(dir)).toThrow(/unsupported architecture \(model_type "mamba"/);
  });
});

describe("tokenizer and BOS", () => {
  it("tokenizes without special tokens and prepends <bos> (id 1) when absent", () => {
    const dir = makeTempDir("tok");
    writeTinyModel(dir, { arch: "gpt2", n_layers: 1, d_model: 8, n_heads: 2, d_mlp: 16, seed: 1 });
    const tok = loadTokenizer(dir);
    const model = loadModelWeights(dir);
    const ids = tok.encode("abc da");
    expect(ids).toEqual([2, 3, 4, 5, 2]);
    expect(ensureBos(ids, tok, model.config)).toEqual([1, 2, 3, 4, 5, 2]);
    expect(ensureBos([1, 2], tok, model.config)).toEqual([1, 2]);
    expect(tok.decodeOne(1)).toBe("<bos>");
  });

  it("skips a BOS id of 0 (the library's truthy filter)", () => {
    const specialIds = new Set([0, 5]);
    expect(ensureBos([3], { specialIds }, { bos_token_id: 0, pad_token_id: null, eos_token_id: null })).toEqual([5, 3]);
  });
});

describe("transcoder sets", () => {
  it("reads the flat config.yaml subset and rejects nested mappings", () => {
    const cfg = parseFlatYaml(
      `# c\nmodel_kind: transcoder_set\nk: 4\nname: "a # b"\ntranscoders:\n  - layer_0.safetensors\n  - 'x.safetensors'\n`,
    );
    expect(cfg).toEqual({
      model_kind: "transcoder_set",
      k: 4,
      name: "a # b",
      transcoders: ["layer_0.safetensors", "x.safetensors"],
    });
    expect(() => parseFlatYaml("a:\n  b: 1\n")).toThrow(/:2: nested mappings are not supported/);
  });

  it("loads a per-layer JumpReLU set with skip, transposing W_skip into x @ W layout", () => {
    const dir = makeTempDir("plt");
    writeTinyTranscoders(dir, {
      kind: "transcoder_set",
      n_layers: 2,
      d_model: 8,
      d_transcoder: 32,
      activation: "jumprelu",
      skip: true,
      feature_input_hook: "mlp.hook_in",
      feature_output_hook: "mlp.hook_out",
      seed: 3,
    });
    const set = loadTranscoderSet(dir);
    expect(set.kind).toBe("transcoder_set");
    expect([set.n_layers, set.d_model, set.d_transcoder]).toEqual([2, 8, 32]);
    expect(set.layers[0]!.activation.kind).toBe("jumprelu");
    const raw = SafetensorsFile.open(join(dir, "layer_1.safetensors")).read("W_skip");
    expect(set.layers[1]!.W_skip!.data[1 * 8 + 2]).toBe(raw.data[2 * 8 + 1]);
    expect(set.scan).toBe("tiny-transcoder_set");
  });

  for (const compress of [false, true]) {
    it(`reads GemmaScope params.npz (${compress ? "deflated" : "stored"}) listed under transcoders:, equal to the same weights in circuit-tracer safetensors`, () => {
      const ctDir = makeTempDir("npz-ct");
      writeTinyTranscoders(ctDir, {
        kind: "transcoder_set",
        n_layers: 2,
        d_model: 8,
        d_transcoder: 16,
        activation: "jumprelu",
        feature_input_hook: "ln2.hook_normalized",
        feature_output_hook: "hook_mlp_out",
        seed: 9,
      });
      const reference = loadTranscoderSet(ctDir, { lazyDecoder: false });
      const gsDir = makeTempDir("npz-gs");
      reference.layers.forEach((tc, l) => {
        mkdirSync(join(gsDir, `layer_${l}`));
        writeNpz(
          join(gsDir, `layer_${l}`, "params.npz"),
          {
            W_enc: transpose2d(tc.W_enc), // GemmaScope stores [d, F]
            W_dec: {
              shape: [16, 8],
              data: Float32Array.from({ length: 16 * 8 }, (_, k) => tc.W_dec.row(Math.floor(k / 8))[k % 8]!),
            },
            b_enc: tc.b_enc,
            b_dec: tc.b_dec,
            threshold: { shape: [16], data: (tc.activation as { threshold: Float32Array }).threshold },
          },
          compress,
        );
      });
      writeFileSync(
        join(gsDir, "config.yaml"),
        "model_name: google/gemma-2-2b\nmodel_kind: transcoder_set\nfeature_input_hook: ln2.hook_normalized\nfeature_output_hook: hook_mlp_out\ntranscoders:\n  - layer_0/params.npz\n  - layer_1/params.npz\n",
      );
      const set = loadTranscoderSet(gsDir);
      expect([set.n_layers, set.d_model, set.d_transcoder]).toEqual([2, 8, 16]);
      set.layers.forEach((tc, l) => {
        const want = reference.layers[l]!;
        expect(tc.W_enc.shape).toEqual([16, 8]);
        expect(Array.from(tc.W_enc.data)).toEqual(Array.from(want.W_enc.data));
        for (let i = 0; i < 16; i++) expect(Array.from(tc.W_dec.row(i))).toEqual(Array.from(want.W_dec.row(i)));
        expect(tc.activation).toEqual(want.activation);
      });
    });
  }

  it("loads a cross-layer TopK set whose decoder of layer l has L − l slots, lazily and eagerly alike", () => {
    const dir = makeTempDir("clt");
    writeTinyTranscoders(dir, {
      kind: "cross_layer_transcoder",
      n_layers: 3,
      d_model: 8,
      d_transcoder: 16,
      activation: "topk",
      k: 3,
      feature_input_hook: "hook_resid_mid",
      feature_output_hook: "hook_mlp_out",
      seed: 4,
    });
    const set = loadTranscoderSet(dir);
    expect(set.layers.map((l) => l.W_dec.shape)).toEqual([
      [16, 3, 8],
      [16, 2, 8],
      [16, 1, 8],
    ]);
    expect(set.layers[0]!.activation).toEqual({ kind: "topk", k: 3 });
    const W = SafetensorsFile.open(join(dir, "W_dec_0.safetensors")).read("W_dec_0").data; // [16, 3, 8]
    expect(Array.from(decoderRow(set, 0, 5, 2))).toEqual(Array.from(W.subarray((5 * 3 + 2) * 8, (5 * 3 + 3) * 8)));
    const eager = loadTranscoderSet(dir, { lazyDecoder: false });
    for (let l = 0; l < 3; l++) {
      for (let i = 0; i < 16; i++) {
        expect(Array.from(eager.layers[l]!.W_dec.row(i))).toEqual(Array.from(set.layers[l]!.W_dec.row(i)));
        expect(Array.from(encoderRow(set, l, i))).toEqual(Array.from(encoderRow(eager, l, i)));
      }
      // Lazy encoders: read for the session without being kept; rows come from the file.
      expect(eager.layers[l]!.encoderRows).toBeUndefined();
      expect(set.layers[l]!.encoderRows).toBeDefined();
      expect(Array.from(set.layers[l]!.W_enc.read!())).toEqual(Array.from(eager.layers[l]!.W_enc.data));
    }
  });
});

describe("activation functions (reference §8.4)", () => {
  const cases = [
    {
      name: "JumpReLU keeps only strictly-above-threshold values",
      act: { kind: "jumprelu" as const, threshold: new Float32Array([1, 0.5, 1.5, 2, 0.8]) },
      input: [-1, 0.5, 1, 1.5, 2],
      expected: [0, 0, 0, 0, 2],
    },
    {
      name: "TopK(2) keeps the two largest by value",
      act: { kind: "topk" as const, k: 2 },
      input: [1, 5, 3, 2],
      expected: [0, 5, 3, 0],
    },
    {
      name: "TopK applies no ReLU: kept values may be negative",
      act: { kind: "topk" as const, k: 2 },
      input: [-3, -1, -2, -5],
      expected: [0, -1, -2, 0],
    },
    { name: "ReLU zeroes non-positive values", act: { kind: "relu" as const }, input: [-1, 0, 2], expected: [0, 0, 2] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const x = Float64Array.from(c.input);
      applyActivation(c.act, x);
      expect(Array.from(x)).toEqual(c.expected);
    });
  }

  it("TopK by quickselect equals the sort-based definition (ties at the k-th value: lower index first)", () => {
    const rand = makeRandom(77);
    for (let trial = 0; trial < 200; trial++) {
      const F = 1 + Math.floor(rand() * 300);
      const k = 1 + Math.floor(rand() * F);
      // Few distinct values in some trials, so ties at the k-th value are common.
      const levels = trial % 2 ? 5 : 1e9;
      const input = Float64Array.from({ length: F }, () => Math.floor((rand() - 0.5) * levels));
      const order = Array.from({ length: F }, (_, i) => i).sort((a, b) => input[b]! - input[a]! || a - b);
      const expected = new Float64Array(F);
      for (let r = 0; r < k; r++) expected[order[r]!] = input[order[r]!]!;
      const got = Float64Array.from(input);
      applyActivation({ kind: "topk", k }, got);
      expect(Array.from(got), `trial ${trial}: F ${F}, k ${k}`).toEqual(Array.from(expected));
    }
  });
});
