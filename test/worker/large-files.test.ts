import { closeSync, openSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { decodeFloats, readFloats } from "~/gpu-worker/src/models/decode-floats";
import { bf16ToFloat32, f16ToFloat32 } from "~/gpu-worker/src/models/float16";
import { readFully } from "~/gpu-worker/src/models/positioned-read";
import { SafetensorsFile } from "~/gpu-worker/src/models/safetensors-file";
import { TensorStore } from "~/gpu-worker/src/models/tensor-store";
import {
  createSafetensorsFile,
  encodeFloats,
  safetensorsLayout,
  writeFully,
} from "~/gpu-worker/src/models/write-safetensors";
import { makeTempDir } from "./helpers/tiny-model";

const bitsOf = (a: Float32Array) => new Uint32Array(a.buffer, a.byteOffset, a.length);

describe("bulk float decoding", () => {
  it("F16 and BF16: all 65,536 codes decode bit for bit as the scalar reference", () => {
    const codes = Uint16Array.from({ length: 65536 }, (_, i) => i);
    const bytes = new Uint8Array(codes.buffer);
    for (const [dtype, scalar] of [
      ["F16", f16ToFloat32],
      ["BF16", bf16ToFloat32],
    ] as const) {
      const bulk = decodeFloats(bytes, dtype);
      const reference = Float32Array.from(codes, (c) => scalar(c));
      let nans = 0;
      for (let c = 0; c < 65536; c++) {
        if (Number.isNaN(reference[c])) {
          // A NaN read back through a JS number may lose its payload; the bulk path keeps the file's bits.
          expect(Number.isNaN(bulk[c]), `${dtype} ${c}`).toBe(true);
          nans++;
        } else if (bitsOf(bulk)[c] !== bitsOf(reference)[c]) {
          expect.fail(`${dtype} code 0x${c.toString(16)}: bulk ${bulk[c]} vs scalar ${reference[c]}`);
        }
      }
      expect(nans).toBe(dtype === "F16" ? 2 * 1023 : 2 * 127); // exponent all ones, mantissa nonzero, either sign
    }
  });

  it("F32: the bytes' own values, -0, subnormals and infinities included, from an unaligned offset", () => {
    const values = new Float32Array([0, -0, 1, -2.5, 1e-45, 3.4e38, Infinity, -Infinity, 0.1]);
    const shifted = new Uint8Array(values.byteLength + 1);
    shifted.set(new Uint8Array(values.buffer), 1);
    const bulk = decodeFloats(shifted.subarray(1), "F32");
    const scalar = Float32Array.from(values, (_, i) => Buffer.from(shifted.buffer).readFloatLE(1 + 4 * i));
    expect(Array.from(bitsOf(bulk))).toEqual(Array.from(bitsOf(scalar)));
  });

  it("chunked reads give the same values at any chunk size, and a truncated file is an error", () => {
    const dir = makeTempDir("chunks");
    const path = join(dir, "v.bin");
    const values = Float32Array.from({ length: 100_003 }, (_, i) => Math.sin(i) * 1e3);
    for (const dtype of ["F32", "F16", "BF16"] as const) {
      writeFileSync(path, Buffer.concat([Buffer.alloc(13), encodeFloats(values, dtype)]));
      const fd = openSync(path, "r");
      try {
        const whole = readFloats(fd, dtype, 13, values.length, "test");
        for (const chunk of [1031, 4093, 65536]) {
          expect(Array.from(bitsOf(readFloats(fd, dtype, 13, values.length, "test", chunk)))).toEqual(
            Array.from(bitsOf(whole)),
          );
        }
        expect(Array.from(whole.subarray(0, 5))).toEqual(
          Array.from(decodeFloats(encodeFloats(values.subarray(0, 5), dtype), dtype)),
        );
        expect(() => readFloats(fd, dtype, 13, values.length + 1, "v.bin")).toThrow(/v\.bin: file ends at byte/);
      } finally {
        closeSync(fd);
      }
    }
  });
});

/**
 * Files over 2 and 4 GiB, written sparse (ftruncate, then only the rows the test checks), so they
 * take almost no disk and a few ms to write. One checkpoint sharded as on the hub: shard 1 holds
 * an F32 tensor over 2 GiB and a BF16 tensor that starts past 2 GiB and ends past 4 GiB; shard 2
 * a small F16 tensor; model.safetensors.index.json maps names to shards.
 */
describe("tensors and files over 2 GiB and 4 GiB, sharded", () => {
  const dir = makeTempDir("big");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const W = 1024;
  const rowsA = 600_000; // 600,000 × 1,024 × 4 bytes = 2.29 GiB
  const rowsB = 1_200_000; // BF16, 2.29 GiB more: ends at 4.58 GiB
  const rowValues = (row: number) => Float32Array.from({ length: W }, (_, j) => ((row % 251) - 125 + j / 1024) / 8);
  const markedA = [0, 524_287, 524_288, 524_289, rowsA - 1]; // 524,288 × 4 KiB = 2 GiB exactly

  it("writes, then reads slices and rows across the 2 GiB and 4 GiB boundaries", () => {
    const layoutA = safetensorsLayout(
      [
        { name: "a", shape: [rowsA, W] },
        { name: "b", shape: [rowsB, W] },
      ],
      "F32",
    );
    // Two dtypes in one file: the layout helper writes one dtype, so shard 1 gets its header by hand below.
    const header = JSON.parse(layoutA.header.subarray(8).toString("utf8")) as Record<
      string,
      { dtype: string; shape: number[]; data_offsets: number[] }
    >;
    const sizeA = rowsA * W * 4;
    header.b = { dtype: "BF16", shape: [rowsB, W], data_offsets: [sizeA, sizeA + rowsB * W * 2] };
    let text = JSON.stringify(header);
    while ((8 + text.length) % 8 !== 0) text += " ";
    const headerBytes = Buffer.alloc(8 + text.length);
    headerBytes.writeBigUInt64LE(BigInt(text.length), 0);
    headerBytes.write(text, 8);
    const dataStart = headerBytes.length;
    const past4 = Math.ceil((2 ** 32 - dataStart - sizeA) / (W * 2)); // B's first row that starts past 4 GiB
    const markedB = [0, 1, past4 - 2, past4 - 1, past4, past4 + 1, rowsB - 1];
    const shard1 = join(dir, "model-00001-of-00002.safetensors");
    const fd = openSync(shard1, "w");
    try {
      writeFully(fd, headerBytes, 0);
      for (const r of markedA) writeFully(fd, encodeFloats(rowValues(r), "F32"), dataStart + r * W * 4);
      for (const r of markedB) writeFully(fd, encodeFloats(rowValues(r), "BF16"), dataStart + sizeA + r * W * 2);
    } finally {
      closeSync(fd);
    }
    const small = { name: "small", shape: [3, 4] };
    const layout2 = safetensorsLayout([small], "F16");
    const fd2 = createSafetensorsFile(join(dir, "model-00002-of-00002.safetensors"), layout2);
    writeFully(
      fd2,
      encodeFloats(
        Float32Array.from({ length: 12 }, (_, i) => i - 5.5),
        "F16",
      ),
      layout2.begin.get("small")!,
    );
    closeSync(fd2);
    writeFileSync(
      join(dir, "model.safetensors.index.json"),
      JSON.stringify({
        metadata: { total_size: 0 },
        weight_map: {
          a: "model-00001-of-00002.safetensors",
          b: "model-00001-of-00002.safetensors",
          small: "model-00002-of-00002.safetensors",
        },
      }),
    );
    expect(statSync(shard1).size).toBeGreaterThan(4 * 2 ** 30);
    expect(dataStart + sizeA + past4 * W * 2).toBeGreaterThanOrEqual(2 ** 32);
    expect(dataStart + sizeA + (past4 - 1) * W * 2).toBeLessThan(2 ** 32);

    const store = new TensorStore(dir);
    try {
      expect(store.shapeOf("a")).toEqual([rowsA, W]);
      expect(Array.from(store.take("small", [3, 4]).data)).toEqual(Array.from({ length: 12 }, (_, i) => i - 5.5));
      // A slice across the 2 GiB offset inside the >2 GiB tensor, and its last row.
      const slice = store.readRows("a", 524_287, 3);
      for (let k = 0; k < 3; k++)
        expect(Array.from(slice.subarray(k * W, (k + 1) * W))).toEqual(Array.from(rowValues(524_287 + k)));
      expect(Array.from(store.readRows("a", rowsA - 1, 1))).toEqual(Array.from(rowValues(rowsA - 1)));
      expect(Array.from(store.readRows("a", 524_290, 1))).toEqual(new Array(W).fill(0)); // never written: sparse zeros
      // BF16 rows across the 4 GiB offset, and the very last row of the file.
      const bf = (r: number) => Array.from(decodeFloats(encodeFloats(rowValues(r), "BF16"), "BF16"));
      const across = store.readRows("b", past4 - 2, 4);
      for (let k = 0; k < 4; k++) expect(Array.from(across.subarray(k * W, (k + 1) * W))).toEqual(bf(past4 - 2 + k));
      expect(Array.from(store.readRows("b", rowsB - 1, 1))).toEqual(bf(rowsB - 1));
      expect(() => store.readRows("b", rowsB - 1, 2)).toThrow(/rows \[1199999, 1200001\) of "b" are outside/);
    } finally {
      store.close();
    }
    // One handle, sorted row sets: runs of neighbours in one read, in the order asked.
    const file = SafetensorsFile.open(shard1);
    try {
      const set = file.readRowSet("a", [0, 524_287, 524_288, 524_289, rowsA - 1]);
      markedA.forEach((r, k) => expect(Array.from(set.subarray(k * W, (k + 1) * W))).toEqual(Array.from(rowValues(r))));
      expect(() => file.readRowSet("a", [5, 3])).toThrow(/ascending distinct/);
    } finally {
      file.close();
    }
    expect(() => file.read("small")).toThrow(/no tensor named "small"/);
    expect(() => file.readRows("a", 0, 1)).toThrow(/read after close/);
  });

  it("a shard shorter than its header says is an error naming the tensor", () => {
    const path = join(makeTempDir("short"), "model.safetensors");
    const layout = safetensorsLayout([{ name: "w", shape: [1000, 1000] }], "F32");
    writeFileSync(path, Buffer.concat([layout.header, Buffer.alloc(10)]));
    expect(() => SafetensorsFile.open(path)).toThrow(/tensor "w" ends at byte \d+, past the end of the \d+-byte file/);
    const fd = openSync(path, "r");
    try {
      expect(() => readFully(fd, new Uint8Array(100), layout.header.length, "short.bin")).toThrow(
        /short\.bin: file ends/,
      );
    } finally {
      closeSync(fd);
    }
  });
});
