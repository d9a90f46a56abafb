import { endianness } from "node:os";
import { f16ToFloat32 } from "./float16";
import { readFully, READ_CHUNK_BYTES } from "./positioned-read";

/**
 * Bulk decoding of little-endian F32 / F16 / BF16 tensor bytes into float32, without a per-element
 * DataView call: F32 bytes are read straight into the Float32Array's memory; BF16 is its upper 16
 * bits (a shift); F16 goes through a 65,536-entry table built from the scalar f16ToFloat32, so the
 * result equals the scalar reference bit for bit (test/worker/models.test.ts checks all 2^16 codes).
 * Half-precision files are read into the first half of the output buffer and widened in place,
 * back to front, so no second buffer of the tensor's size ever exists.
 */
export type FloatDtype = "F32" | "F16" | "BF16";
export const BYTES_PER_ELEMENT: Record<FloatDtype, number> = { F32: 4, F16: 2, BF16: 2 };

if (endianness() !== "LE") throw new Error("decode-floats: tensor files are little-endian; this host is not");

let f16Table: Uint32Array | null = null;
function f16Bits(): Uint32Array {
  if (!f16Table) {
    const values = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) values[h] = f16ToFloat32(h);
    f16Table = new Uint32Array(values.buffer);
  }
  return f16Table;
}

/** Widens n half-precision codes held in the first 2n bytes of `out`'s buffer, in place. */
function widenInPlace(out: Float32Array, dtype: "F16" | "BF16"): void {
  const n = out.length;
  const half = new Uint16Array(out.buffer, out.byteOffset, n);
  const full = new Uint32Array(out.buffer, out.byteOffset, n);
  // Back to front: full[i] overwrites half[2i], half[2i + 1], both already consumed for i ≥ 1.
  if (dtype === "BF16") for (let i = n - 1; i >= 0; i--) full[i] = half[i]! << 16;
  else {
    const table = f16Bits();
    for (let i = n - 1; i >= 0; i--) full[i] = table[half[i]!]!;
  }
}

/** Decodes bytes already in memory (a copy; the input is left as it is). */
export function decodeFloats(bytes: Uint8Array, dtype: FloatDtype): Float32Array {
  const width = BYTES_PER_ELEMENT[dtype];
  if (bytes.length % width !== 0)
    throw new Error(`decodeFloats: ${bytes.length} bytes is not a whole number of ${dtype}`);
  const out = new Float32Array(bytes.length / width);
  new Uint8Array(out.buffer).set(bytes);
  if (dtype !== "F32") widenInPlace(out, dtype);
  return out;
}

/** Reads `count` values of `dtype` at byte `position` of an open file into a new Float32Array. */
export function readFloats(
  fd: number,
  dtype: FloatDtype,
  position: number,
  count: number,
  where: string,
  chunkBytes = READ_CHUNK_BYTES,
): Float32Array {
  const out = new Float32Array(count);
  readFloatsInto(fd, dtype, position, out, where, chunkBytes);
  return out;
}

/** The same into a caller's array (a slice of a larger buffer, say); its previous contents are overwritten. */
export function readFloatsInto(
  fd: number,
  dtype: FloatDtype,
  position: number,
  out: Float32Array,
  where: string,
  chunkBytes = READ_CHUNK_BYTES,
): void {
  const bytes = new Uint8Array(out.buffer, out.byteOffset, out.length * BYTES_PER_ELEMENT[dtype]);
  readFully(fd, bytes, position, where, chunkBytes);
  if (dtype !== "F32") widenInPlace(out, dtype);
}
