import { closeSync, openSync, readSync, statSync } from "node:fs";
import { inflateRawSync } from "node:zlib";
import type { Tensor } from "./tensor";

/**
 * Reader for NumPy `.npz` archives (GemmaScope's `params.npz`, reference §5.3): a ZIP file whose
 * members are `.npy` arrays. Handles stored and deflated members, ZIP64 sizes/offsets (NumPy writes
 * with force_zip64), and little-endian float32/float64 C-order arrays, returned as float32.
 */
export function readNpz(path: string): Map<string, Tensor> {
  const fd = openSync(path, "r");
  try {
    const size = statSync(path).size;
    const read = (position: number, length: number) => {
      const buf = Buffer.alloc(length);
      readSync(fd, buf, 0, length, position);
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
    const out = new Map<string, Tensor>();
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
      const local = read(localOffset, 30);
      const dataStart = localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
      const raw = read(dataStart, compressed);
      if (method !== 0 && method !== 8)
        throw new Error(`npz: ${path}: member "${name}" uses ZIP method ${method}; expected stored (0) or deflate (8)`);
      const bytes = method === 8 ? inflateRawSync(raw) : raw;
      if (bytes.length !== uncompressed)
        throw new Error(`npz: ${path}: member "${name}" inflated to ${bytes.length} bytes, expected ${uncompressed}`);
      out.set(name.replace(/\.npy$/, ""), parseNpy(bytes, `${path}:${name}`));
    }
    return out;
  } finally {
    closeSync(fd);
  }
}

/** One `.npy` array: magic, version, a Python-literal header {'descr', 'fortran_order', 'shape'}, then data. */
export function parseNpy(bytes: Buffer, where: string): Tensor {
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
  const shape = shapeText
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  const n = shape.reduce((a, b) => a * b, 1);
  const start = headerStart + headerLength;
  const data = new Float32Array(n);
  if (descr === "<f4") for (let i = 0; i < n; i++) data[i] = bytes.readFloatLE(start + 4 * i);
  else if (descr === "<f8") for (let i = 0; i < n; i++) data[i] = bytes.readDoubleLE(start + 8 * i);
  else throw new Error(`npy: ${where}: dtype ${descr} is not supported; expected <f4 or <f8`);
  return { shape, data };
}
