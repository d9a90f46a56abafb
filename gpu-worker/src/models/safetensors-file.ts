import { closeSync, openSync, readSync } from "node:fs";
import { bf16ToFloat32, f16ToFloat32 } from "./float16";
import { numel, shapeString, type Tensor } from "./tensor";

/**
 * Reader for one `.safetensors` file: an 8-byte little-endian header length, a JSON header
 * {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__"?: {...}}, then the raw bytes
 * (offsets are relative to the end of the header). Tensors are read on demand with positioned
 * reads, so a multi-GB checkpoint is never held in memory at once.
 */

export type SafetensorsDtype = "F32" | "F16" | "BF16";
const BYTES_PER_ELEMENT: Record<SafetensorsDtype, number> = { F32: 4, F16: 2, BF16: 2 };

export interface SafetensorsEntry {
  dtype: SafetensorsDtype;
  shape: number[];
  begin: number; // absolute byte offset in the file
  end: number;
}

export class SafetensorsFile {
  readonly path: string;
  readonly entries: Map<string, SafetensorsEntry>;
  readonly metadata: Record<string, string>;

  private constructor(path: string, entries: Map<string, SafetensorsEntry>, metadata: Record<string, string>) {
    this.path = path;
    this.entries = entries;
    this.metadata = metadata;
  }

  static open(path: string): SafetensorsFile {
    const fd = openSync(path, "r");
    try {
      const lengthBytes = Buffer.alloc(8);
      if (readSync(fd, lengthBytes, 0, 8, 0) !== 8)
        throw new Error(`safetensors: ${path}: file shorter than its 8-byte header length`);
      const headerLength = Number(lengthBytes.readBigUInt64LE(0));
      if (headerLength > 100_000_000)
        throw new Error(`safetensors: ${path}: header length ${headerLength} is implausible (expected < 100 MB)`);
      const headerBytes = Buffer.alloc(headerLength);
      readSync(fd, headerBytes, 0, headerLength, 8);
      const header = JSON.parse(headerBytes.toString("utf8")) as Record<string, unknown>;
      const dataStart = 8 + headerLength;
      const entries = new Map<string, SafetensorsEntry>();
      let metadata: Record<string, string> = {};
      for (const [name, raw] of Object.entries(header)) {
        if (name === "__metadata__") {
          metadata = raw as Record<string, string>;
          continue;
        }
        const info = raw as { dtype: string; shape: number[]; data_offsets: [number, number] };
        if (!(info.dtype in BYTES_PER_ELEMENT)) {
          throw new Error(`safetensors: ${path}: tensor "${name}" has dtype ${info.dtype}; expected F32, F16 or BF16`);
        }
        const dtype = info.dtype as SafetensorsDtype;
        const [begin, end] = info.data_offsets;
        const expectedBytes = numel(info.shape) * BYTES_PER_ELEMENT[dtype];
        if (end - begin !== expectedBytes) {
          throw new Error(
            `safetensors: ${path}: tensor "${name}" ${dtype} ${shapeString(info.shape)} needs ${expectedBytes} bytes, header says ${end - begin}`,
          );
        }
        entries.set(name, { dtype, shape: info.shape, begin: dataStart + begin, end: dataStart + end });
      }
      return new SafetensorsFile(path, entries, metadata);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Rows [start, start + count) along the first axis, read without touching the rest of the
   * tensor: how decoders are loaded lazily (only the active features' rows are ever needed).
   */
  readRows(name: string, start: number, count: number): Float32Array {
    const entry = this.entries.get(name);
    if (!entry) throw new Error(`safetensors: ${this.path}: no tensor named "${name}"`);
    const rows = entry.shape[0] ?? 1;
    if (start < 0 || start + count > rows)
      throw new Error(
        `safetensors: ${this.path}: rows [${start}, ${start + count}) of "${name}" are outside [0, ${rows})`,
      );
    const rowBytes = (entry.end - entry.begin) / rows;
    const fd = openSync(this.path, "r");
    try {
      const bytes = Buffer.alloc(rowBytes * count);
      readSync(fd, bytes, 0, bytes.length, entry.begin + start * rowBytes);
      return decode(bytes, entry.dtype);
    } finally {
      closeSync(fd);
    }
  }

  read(name: string): Tensor {
    const entry = this.entries.get(name);
    if (!entry) throw new Error(`safetensors: ${this.path}: no tensor named "${name}"`);
    const fd = openSync(this.path, "r");
    try {
      const bytes = Buffer.alloc(entry.end - entry.begin);
      readSync(fd, bytes, 0, bytes.length, entry.begin);
      return { shape: [...entry.shape], data: decode(bytes, entry.dtype) };
    } finally {
      closeSync(fd);
    }
  }
}

function decode(bytes: Buffer, dtype: SafetensorsDtype): Float32Array {
  const n = bytes.length / BYTES_PER_ELEMENT[dtype];
  const out = new Float32Array(n);
  if (dtype === "F32") {
    for (let i = 0; i < n; i++) out[i] = bytes.readFloatLE(4 * i);
  } else if (dtype === "F16") {
    for (let i = 0; i < n; i++) out[i] = f16ToFloat32(bytes.readUInt16LE(2 * i));
  } else {
    for (let i = 0; i < n; i++) out[i] = bf16ToFloat32(bytes.readUInt16LE(2 * i));
  }
  return out;
}
