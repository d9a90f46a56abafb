import { closeSync, ftruncateSync, openSync, writeSync } from "node:fs";
import { BYTES_PER_ELEMENT } from "./decode-floats";
import { float32ToBf16, float32ToF16 } from "./float16";
import type { SafetensorsDtype } from "./safetensors-file";
import { numel, shapeString, type Tensor } from "./tensor";

/**
 * Writes tensors in the safetensors format (the tests' models and the real-size bench's random
 * checkpoints). Tensors are laid out in the order given; the header is padded with spaces to a
 * multiple of 8 bytes, as the reference implementation does. Everything is written with positioned
 * writes, tensor by tensor, so a file of any size is written without holding it in memory.
 */
export interface TensorSpec {
  name: string;
  shape: number[];
}

export interface SafetensorsLayout {
  header: Buffer; // the 8-byte length and the padded JSON
  begin: Map<string, number>; // absolute byte offset of each tensor
  totalBytes: number;
  dtype: SafetensorsDtype;
}

export function safetensorsLayout(
  specs: TensorSpec[],
  dtype: SafetensorsDtype,
  metadata?: Record<string, string>,
): SafetensorsLayout {
  const width = BYTES_PER_ELEMENT[dtype];
  const json: Record<string, unknown> = {};
  if (metadata) json.__metadata__ = metadata;
  let offset = 0;
  const relative = new Map<string, number>();
  for (const { name, shape } of specs) {
    const size = numel(shape) * width;
    json[name] = { dtype, shape, data_offsets: [offset, offset + size] };
    relative.set(name, offset);
    offset += size;
  }
  let text = JSON.stringify(json);
  while ((8 + Buffer.byteLength(text)) % 8 !== 0) text += " ";
  const body = Buffer.from(text, "utf8");
  const header = Buffer.alloc(8 + body.length);
  header.writeBigUInt64LE(BigInt(body.length), 0);
  body.copy(header, 8);
  const begin = new Map([...relative].map(([name, at]) => [name, header.length + at]));
  return { header, begin, totalBytes: header.length + offset, dtype };
}

/** float32 values in a file's dtype: F32 is the values' own bytes; F16/BF16 round to nearest even. */
export function encodeFloats(data: Float32Array, dtype: SafetensorsDtype): Uint8Array {
  if (dtype === "F32") return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint16Array(data.length);
  const encode = dtype === "F16" ? float32ToF16 : float32ToBf16;
  for (let i = 0; i < data.length; i++) out[i] = encode(data[i]!);
  return new Uint8Array(out.buffer);
}

/** Writes bytes at a position, looping over short writes and Node's int32 length limit. */
export function writeFully(fd: number, bytes: Uint8Array, position: number): void {
  for (let done = 0; done < bytes.length;) {
    done += writeSync(fd, bytes, done, Math.min(bytes.length - done, 1 << 30), position + done);
  }
}

/**
 * Creates a file of the layout's full size (sparse where the file system allows) with its header,
 * for the caller to fill with `writeFully` at `layout.begin.get(name)` (+ row offsets).
 */
export function createSafetensorsFile(path: string, layout: SafetensorsLayout): number {
  const fd = openSync(path, "w");
  writeFully(fd, layout.header, 0);
  ftruncateSync(fd, layout.totalBytes);
  return fd;
}

export function writeSafetensors(
  path: string,
  tensors: Record<string, Tensor>,
  options: { dtype?: SafetensorsDtype; metadata?: Record<string, string> } = {},
): void {
  const dtype = options.dtype ?? "F32";
  for (const [name, t] of Object.entries(tensors)) {
    if (numel(t.shape) !== t.data.length) {
      throw new Error(
        `writeSafetensors: tensor "${name}" has shape ${shapeString(t.shape)} but ${t.data.length} values`,
      );
    }
  }
  const layout = safetensorsLayout(
    Object.entries(tensors).map(([name, t]) => ({ name, shape: t.shape })),
    dtype,
    options.metadata,
  );
  const fd = createSafetensorsFile(path, layout);
  try {
    for (const [name, t] of Object.entries(tensors))
      writeFully(fd, encodeFloats(t.data, dtype), layout.begin.get(name)!);
  } finally {
    closeSync(fd);
  }
}
