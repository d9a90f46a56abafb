import { closeSync, fstatSync, openSync } from "node:fs";
import { BYTES_PER_ELEMENT, readFloats, readFloatsInto, type FloatDtype } from "./decode-floats";
import { readFully } from "./positioned-read";
import { numel, shapeString, type Tensor } from "./tensor";

/**
 * Reader for one `.safetensors` file: an 8-byte little-endian header length, a JSON header
 * {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__"?: {...}}, then the raw bytes
 * (offsets are relative to the end of the header). One file handle per file, kept open for lazy
 * reads (decoder rows) until `close()`; tensors are read on demand with checked positioned reads
 * in chunks, so tensors and files over 2 and 4 GiB load, and a multi-GB checkpoint is never held
 * in memory at once.
 */

export type SafetensorsDtype = FloatDtype;

export interface SafetensorsEntry {
  dtype: SafetensorsDtype;
  shape: number[];
  begin: number; // absolute byte offset in the file
  end: number;
}

/** Closes the handle of a file object that was dropped without close() (tests open many small files). */
const handles = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
});

export class SafetensorsFile {
  readonly path: string;
  readonly entries: Map<string, SafetensorsEntry>;
  readonly metadata: Record<string, string>;
  private fd: number | null;

  private constructor(
    path: string,
    fd: number,
    entries: Map<string, SafetensorsEntry>,
    metadata: Record<string, string>,
  ) {
    this.path = path;
    this.fd = fd;
    this.entries = entries;
    this.metadata = metadata;
    handles.register(this, fd, this);
  }

  static open(path: string): SafetensorsFile {
    const fd = openSync(path, "r");
    try {
      const size = fstatSync(fd).size;
      if (size < 8) throw new Error(`safetensors: ${path}: file shorter than its 8-byte header length`);
      const lengthBytes = Buffer.alloc(8);
      readFully(fd, lengthBytes, 0, `safetensors: ${path}`);
      const headerLength = Number(lengthBytes.readBigUInt64LE(0));
      if (headerLength > 100_000_000)
        throw new Error(`safetensors: ${path}: header length ${headerLength} is implausible (expected < 100 MB)`);
      const headerBytes = Buffer.alloc(headerLength);
      readFully(fd, headerBytes, 8, `safetensors: ${path}: header`);
      let header: Record<string, unknown>;
      try {
        header = JSON.parse(headerBytes.toString("utf8")) as Record<string, unknown>;
      } catch (e) {
        throw new Error(`safetensors: ${path}: header is not JSON (${(e as Error).message})`);
      }
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
        if (dataStart + end > size)
          throw new Error(
            `safetensors: ${path}: tensor "${name}" ends at byte ${dataStart + end}, past the end of the ${size}-byte file (truncated?)`,
          );
        entries.set(name, { dtype, shape: info.shape, begin: dataStart + begin, end: dataStart + end });
      }
      return new SafetensorsFile(path, fd, entries, metadata);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  close(): void {
    if (this.fd === null) return;
    handles.unregister(this);
    closeSync(this.fd);
    this.fd = null;
  }

  private handle(): number {
    if (this.fd === null) throw new Error(`safetensors: ${this.path}: read after close()`);
    return this.fd;
  }

  private entry(name: string): SafetensorsEntry {
    const entry = this.entries.get(name);
    if (!entry) throw new Error(`safetensors: ${this.path}: no tensor named "${name}"`);
    return entry;
  }

  /** Values per row along the first axis. */
  rowWidth(name: string): number {
    const { shape } = this.entry(name);
    return shape.length === 0 ? 1 : numel(shape) / shape[0]!;
  }

  /**
   * Rows [start, start + count) along the first axis, read without touching the rest of the
   * tensor: how decoders are loaded lazily (only the active features' rows are ever needed).
   */
  readRows(name: string, start: number, count: number): Float32Array {
    const entry = this.entry(name);
    const rows = entry.shape[0] ?? 1;
    if (!(Number.isInteger(start) && Number.isInteger(count) && start >= 0 && count >= 0 && start + count <= rows))
      throw new Error(
        `safetensors: ${this.path}: rows [${start}, ${start + count}) of "${name}" are outside [0, ${rows})`,
      );
    const width = this.rowWidth(name);
    const bytesPerRow = width * BYTES_PER_ELEMENT[entry.dtype];
    return readFloats(
      this.handle(),
      entry.dtype,
      entry.begin + start * bytesPerRow,
      count * width,
      `safetensors: ${this.path}: "${name}"`,
    );
  }

  /**
   * The rows listed (ascending, distinct), packed in that order into one [indices.length, width]
   * array, in one pass over the file: runs of consecutive rows are read with one call.
   */
  readRowSet(name: string, indices: ArrayLike<number>): Float32Array {
    const entry = this.entry(name);
    const rows = entry.shape[0] ?? 1;
    const width = this.rowWidth(name);
    const bytesPerRow = width * BYTES_PER_ELEMENT[entry.dtype];
    const out = new Float32Array(indices.length * width);
    for (let a = 0; a < indices.length;) {
      let b = a + 1;
      while (b < indices.length && indices[b] === indices[b - 1]! + 1) b++;
      const first = indices[a]!;
      if (!(Number.isInteger(first) && first >= 0 && indices[b - 1]! < rows) || (a > 0 && first <= indices[a - 1]!))
        throw new Error(
          `safetensors: ${this.path}: row set of "${name}" must be ascending distinct rows in [0, ${rows}), got ${first} at ${a}`,
        );
      readFloatsInto(
        this.handle(),
        entry.dtype,
        entry.begin + first * bytesPerRow,
        out.subarray(a * width, b * width),
        `safetensors: ${this.path}: "${name}"`,
      );
      a = b;
    }
    return out;
  }

  read(name: string): Tensor {
    const entry = this.entry(name);
    return {
      shape: [...entry.shape],
      data: readFloats(
        this.handle(),
        entry.dtype,
        entry.begin,
        numel(entry.shape),
        `safetensors: ${this.path}: "${name}"`,
      ),
    };
  }
}
