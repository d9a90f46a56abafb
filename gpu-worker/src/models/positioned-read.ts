import { readSync } from "node:fs";

/**
 * Positioned reads of any length at any offset. Node's `readSync` takes an int32 length and Linux
 * returns at most 0x7ffff000 bytes per call, so a tensor over 2 GiB is read in chunks; a short read
 * is retried, and end of file before the last byte is an error naming the file and both offsets
 * (a truncated download), never silently zero-filled memory.
 */
export const READ_CHUNK_BYTES = 1 << 30;

export function readFully(
  fd: number,
  target: Uint8Array,
  position: number,
  where: string,
  chunkBytes = READ_CHUNK_BYTES,
): void {
  let done = 0;
  while (done < target.length) {
    const length = Math.min(chunkBytes, target.length - done);
    const n = readSync(fd, target, done, length, position + done);
    if (n === 0)
      throw new Error(
        `${where}: file ends at byte ${position + done}, expected ${target.length} bytes from byte ${position} (truncated file?)`,
      );
    done += n;
  }
}
