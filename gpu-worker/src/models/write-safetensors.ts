import { writeFileSync } from "node:fs";
import { float32ToBf16, float32ToF16 } from "./float16";
import type { SafetensorsDtype } from "./safetensors-file";
import { numel, shapeString, type Tensor } from "./tensor";

/**
 * Writes tensors in the safetensors format (used by the tests to produce models in the real
 * file format, and later by caches). Tensors are laid out in insertion order; the header is
 * padded with spaces to a multiple of 8 bytes, as the reference implementation does.
 */
export function writeSafetensors(
  path: string,
  tensors: Record<string, Tensor>,
  options: { dtype?: SafetensorsDtype; metadata?: Record<string, string> } = {},
): void {
  const dtype = options.dtype ?? "F32";
  const bytesPerElement = dtype === "F32" ? 4 : 2;
  const header: Record<string, unknown> = {};
  if (options.metadata) header.__metadata__ = options.metadata;
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    if (numel(t.shape) !== t.data.length) {
      throw new Error(
        `writeSafetensors: tensor "${name}" has shape ${shapeString(t.shape)} but ${t.data.length} values`,
      );
    }
    const size = t.data.length * bytesPerElement;
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + size] };
    offset += size;
  }
  let headerText = JSON.stringify(header);
  while ((8 + Buffer.byteLength(headerText)) % 8 !== 0) headerText += " ";
  const headerBytes = Buffer.from(headerText, "utf8");
  const out = Buffer.alloc(8 + headerBytes.length + offset);
  out.writeBigUInt64LE(BigInt(headerBytes.length), 0);
  headerBytes.copy(out, 8);
  let at = 8 + headerBytes.length;
  for (const t of Object.values(tensors)) {
    for (let i = 0; i < t.data.length; i++) {
      const v = t.data[i]!;
      if (dtype === "F32") (out.writeFloatLE(v, at), (at += 4));
      else (out.writeUInt16LE(dtype === "F16" ? float32ToF16(v) : float32ToBf16(v), at), (at += 2));
    }
  }
  writeFileSync(path, out);
}
