/**
 * Tensor decoding and reading: the element-by-element baseline (Buffer.readFloatLE / readUInt16LE +
 * the scalar F16/BF16 conversions, what the loader did before) against the bulk typed-array path,
 * measured in the same run on the same bytes, and a read of a file tensor through the one-handle
 * chunked reader. `npx tsx bench/tensor-loading.ts [--values N]` (default 16 M values).
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeFloats, readFloats, type FloatDtype } from "../gpu-worker/src/models/decode-floats";
import { bf16ToFloat32, f16ToFloat32 } from "../gpu-worker/src/models/float16";
import { encodeFloats } from "../gpu-worker/src/models/write-safetensors";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const n = arg("values", 16 * 1024 * 1024);

function scalarDecode(bytes: Buffer, dtype: FloatDtype): Float32Array {
  const out = new Float32Array(bytes.length / (dtype === "F32" ? 4 : 2));
  if (dtype === "F32") for (let i = 0; i < out.length; i++) out[i] = bytes.readFloatLE(4 * i);
  else if (dtype === "F16") for (let i = 0; i < out.length; i++) out[i] = f16ToFloat32(bytes.readUInt16LE(2 * i));
  else for (let i = 0; i < out.length; i++) out[i] = bf16ToFloat32(bytes.readUInt16LE(2 * i));
  return out;
}

const best = (run: () => void, times = 3) => {
  let min = Infinity;
  for (let k = 0; k < times; k++) {
    const t = performance.now();
    run();
    min = Math.min(min, performance.now() - t);
  }
  return min;
};

const values = Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 100);
const dir = mkdtempSync(join(tmpdir(), "circuitboard-bench-tensors-"));
try {
  console.log(
    `${(n / 2 ** 20).toFixed(0)} M values; best of 3; load average ${(await import("node:os"))
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")}`,
  );
  console.log("dtype   scalar ms   bulk ms   ratio   file read ms (bulk, one handle)");
  for (const dtype of ["F32", "F16", "BF16"] as const) {
    const bytes = Buffer.from(encodeFloats(values, dtype));
    const scalar = best(() => scalarDecode(bytes, dtype));
    const bulk = best(() => decodeFloats(bytes, dtype));
    const path = join(dir, `${dtype}.bin`);
    writeFileSync(path, bytes);
    const fd = openSync(path, "r");
    const file = best(() => readFloats(fd, dtype, 0, n, path));
    closeSync(fd);
    console.log(
      `${dtype.padEnd(6)}  ${scalar.toFixed(0).padStart(9)}  ${bulk.toFixed(0).padStart(8)}  ${(bulk / scalar).toFixed(3).padStart(6)}   ${file.toFixed(0).padStart(6)}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
