import { closeSync, fstatSync, openSync } from "node:fs";
import { inflateRawSync } from "node:zlib";
import { readFloats, readFloatsInto } from "./decode-floats";
import { readFully } from "./positioned-read";
import type { Tensor } from "./tensor";

/**
 * Reader for NumPy `.npz` archives (GemmaScope's `params.npz`, reference §5.3): a ZIP file whose
 * members are `.npy` arrays. Handles stored and deflated members, ZIP64 sizes/offsets (NumPy writes
 * with force_zip64), and little-endian float32/float64 C-order arrays, returned as float32.
 * Stored float32 members (what `np.savez` writes) can be read row by row without reading the
 * rest (lazy decoders); deflated members are inflated whole.
 */
export interface NpzMember {
  name: string; // without ".npy"
  method: 0 | 8; // stored, deflate
  dataStart: number; // absolute offset of the member's bytes (the .npy file)
  compressed: number;
  uncompressed: number;
}

/** A stored '<f4' member's array: shape and the absolute offset of its first value. */
export interface NpyLayout {
  shape: number[];
  descr: "<f4" | "<f8";
  dataOffset: number;
}

export class NpzFile {
  readonly path: string;
  readonly members: Map<string, NpzMember>;
  private fd: number | null;

  private constructor(path: string, fd: number, members: Map<string, NpzMember>) {
    this.path = path;
    this.fd = fd;
    this.members = members;
  }

  static open(path: string): NpzFile {
    const fd = openSync(path, "r");
    try {
      return new NpzFile(path, fd, readCentralDirectory(fd, path));
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private handle(): number {
    if (this.fd === null) throw new Error(`npz: ${this.path}: read after close()`);
    return this.fd;
  }

  private member(name: string): NpzMember {
    const m = this.members.get(name);
    if (!m) throw new Error(`npz: ${this.path}: no array "${name}"`);
    return m;
  }

  /** The whole array as float32. */
  read(name: string): Tensor {
    const m = this.member(name);
    const where = `${this.path}:${name}.npy`;
    if (m.method === 0) {
      const layout = this.layout(name)!;
      const n = layout.shape.reduce((a, b) => a * b, 1);
      if (layout.descr === "<f4")
        return { shape: layout.shape, data: readFloats(this.handle(), "F32", layout.dataOffset, n, `npz: ${where}`) };
    }
    const raw = Buffer.alloc(m.compressed);
    readFully(this.handle(), raw, m.dataStart, `npz: ${where}`);
    const bytes = m.method === 8 ? inflateRawSync(raw) : raw;
    if (bytes.length !== m.uncompressed)
      throw new Error(`npz: ${where}: inflated to ${bytes.length} bytes, expected ${m.uncompressed}`);
    return parseNpy(bytes, where);
  }

  /** Shape, dtype and data offset of a stored member; null for a deflated one (it can only be read whole). */
  layout(name: string): NpyLayout | null {
    const m = this.member(name);
    if (m.method !== 0) return null;
    const head = Buffer.alloc(Math.min(m.uncompressed, 65_536 + 12));
    readFully(this.handle(), head, m.dataStart, `npz: ${this.path}:${name}.npy`);
    const h = parseNpyHeader(head, `${this.path}:${name}.npy`);
    return { shape: h.shape, descr: h.descr, dataOffset: m.dataStart + h.dataStart };
  }

  /** Rows (ascending, distinct) of a stored '<f4' member along its first axis, packed [indices.length, width]. */
  readRowSet(layout: NpyLayout, name: string, indices: ArrayLike<number>): Float32Array {
    if (layout.descr !== "<f4") throw new Error(`npz: ${this.path}:${name}: rows are read lazily from <f4 arrays only`);
    const rows = layout.shape[0] ?? 1;
    const width = layout.shape.slice(1).reduce((a, b) => a * b, 1);
    const out = new Float32Array(indices.length * width);
    for (let a = 0; a < indices.length;) {
      let b = a + 1;
      while (b < indices.length && indices[b] === indices[b - 1]! + 1) b++;
      const first = indices[a]!;
      if (!(first >= 0 && indices[b - 1]! < rows) || (a > 0 && first <= indices[a - 1]!))
        throw new Error(`npz: ${this.path}:${name}: row set must be ascending distinct rows in [0, ${rows})`);
      readFloatsInto(
        this.handle(),
        "F32",
        layout.dataOffset + first * width * 4,
        out.subarray(a * width, b * width),
        `npz: ${this.path}:${name}`,
      );
      a = b;
    }
    return out;
  }
}

/** Every array of an archive, read whole. */
export function readNpz(path: string): Map<string, Tensor> {
  const file = NpzFile.open(path);
  try {
    return new Map([...file.members.keys()].map((name) => [name, file.read(name)]));
  } finally {
    file.close();
  }
}

function readCentralDirectory(fd: number, path: string): Map<string, NpzMember> {
  const size = fstatSync(fd).size;
  const read = (position: number, length: number) => {
    const buf = Buffer.alloc(length);
    readFully(fd, buf, position, `npz: ${path}`);
    return buf;
  };
  // End of central directory: the last record with signature 0x06054b50 (a comment may follow it).
  const tailLength = Math.min(size, 65_557);
  const tail = read(size - tailLength, tailLength);
  let eocd = tail.length - 22;
  while (eocd >= 0 && tail.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error(`npz: ${path}: not a ZIP archive (no end-of-central-directory record)`);
  let entries = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  const locator = eocd - 20; // ZIP64 end-of-central-directory locator, when present
  if (locator >= 0 && tail.readUInt32LE(locator) === 0x07064b50) {
    const z64 = read(Number(tail.readBigUInt64LE(locator + 8)), 56);
    entries = Number(z64.readBigUInt64LE(32));
    cdSize = Number(z64.readBigUInt64LE(40));
    cdOffset = Number(z64.readBigUInt64LE(48));
  }
  const cd = read(cdOffset, cdSize);
  const out = new Map<string, NpzMember>();
  let at = 0;
  for (let e = 0; e < entries; e++) {
    if (cd.readUInt32LE(at) !== 0x02014b50) throw new Error(`npz: ${path}: corrupt central directory entry ${e}`);
    const method = cd.readUInt16LE(at + 10);
    let compressed = cd.readUInt32LE(at + 20);
    let uncompressed = cd.readUInt32LE(at + 24);
    const nameLength = cd.readUInt16LE(at + 28);
    const extraLength = cd.readUInt16LE(at + 30);
    const commentLength = cd.readUInt16LE(at + 32);
    let localOffset = cd.readUInt32LE(at + 42);
    const name = cd.toString("utf8", at + 46, at + 46 + nameLength);
    // ZIP64 extended information: the 0xffffffff fields, in order, as 8-byte values.
    for (let x = at + 46 + nameLength; x < at + 46 + nameLength + extraLength;) {
      const id = cd.readUInt16LE(x),
        len = cd.readUInt16LE(x + 2);
      if (id === 0x0001) {
        let f = x + 4;
        if (uncompressed === 0xffffffff) ((uncompressed = Number(cd.readBigUInt64LE(f))), (f += 8));
        if (compressed === 0xffffffff) ((compressed = Number(cd.readBigUInt64LE(f))), (f += 8));
        if (localOffset === 0xffffffff) localOffset = Number(cd.readBigUInt64LE(f));
      }
      x += 4 + len;
    }
    at += 46 + nameLength + extraLength + commentLength;
    if (method !== 0 && method !== 8)
      throw new Error(`npz: ${path}: member "${name}" uses ZIP method ${method}; expected stored (0) or deflate (8)`);
    const local = read(localOffset, 30);
    const dataStart = localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
    if (dataStart + compressed > size) throw new Error(`npz: ${path}: member "${name}" runs past the end of the file`);
    const key = name.replace(/\.npy$/, "");
    out.set(key, { name: key, method, dataStart, compressed, uncompressed });
  }
  return out;
}

function parseNpyHeader(bytes: Buffer, where: string): { descr: "<f4" | "<f8"; shape: number[]; dataStart: number } {
  if (bytes.readUInt8(0) !== 0x93 || bytes.toString("latin1", 1, 6) !== "NUMPY")
    throw new Error(`npy: ${where}: bad magic`);
  const major = bytes.readUInt8(6);
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const headerStart = major === 1 ? 10 : 12;
  const header = bytes.toString("latin1", headerStart, headerStart + headerLength);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined)
    throw new Error(`npy: ${where}: unreadable header ${JSON.stringify(header)}`);
  if (fortran === "True") throw new Error(`npy: ${where}: Fortran-order arrays are not supported`);
  if (descr !== "<f4" && descr !== "<f8")
    throw new Error(`npy: ${where}: dtype ${descr} is not supported; expected <f4 or <f8`);
  const shape = shapeText
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  return { descr, shape, dataStart: headerStart + headerLength };
}

/** One `.npy` array: magic, version, a Python-literal header {'descr', 'fortran_order', 'shape'}, then data. */
export function parseNpy(bytes: Buffer, where: string): Tensor {
  const { descr, shape, dataStart } = parseNpyHeader(bytes, where);
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  if (descr === "<f4") new Uint8Array(data.buffer).set(bytes.subarray(dataStart, dataStart + 4 * n));
  else {
    const f64 = new Float64Array(n);
    new Uint8Array(f64.buffer).set(bytes.subarray(dataStart, dataStart + 8 * n));
    data.set(f64);
  }
  return { shape, data };
}
