import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { randomBytes } from "node:crypto";
import { assertRange, assertSafeKey, type BlobStore } from "./blob-store";

/** Files under one directory. Writes go to a temporary name first, so a crash never leaves half a file. */
export class LocalBlobStore implements BlobStore {
  readonly kind = "local" as const;
  constructor(private readonly rootDir: string) {}

  private path(key: string): string {
    assertSafeKey(key);
    return join(this.rootDir, key);
  }

  async put(key: string, body: Uint8Array): Promise<void> {
    const file = this.path(key);
    await mkdir(dirname(file), { recursive: true });
    const tmp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
    await writeFile(tmp, body);
    await rename(tmp, file);
  }

  async get(key: string): Promise<Uint8Array | null> {
    try {
      return await readFile(this.path(key));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw e;
    }
  }

  async readRange(key: string, start: number, end: number): Promise<Uint8Array | null> {
    assertRange(start, end);
    let handle;
    try {
      handle = await open(this.path(key), "r");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw e;
    }
    try {
      const bytes = Buffer.alloc(end - start);
      let filled = 0;
      while (filled < bytes.length) {
        const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, start + filled);
        if (bytesRead === 0) break; // past the end: cut there, as a Range request is
        filled += bytesRead;
      }
      return bytes.subarray(0, filled);
    } finally {
      await handle.close();
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  /**
   * Keys under `prefix` ("graphs/") with their modification times, temporary files excluded. For the
   * sweeper; a local store holds at most one machine's worth of files.
   */
  async list(prefix: string): Promise<{ key: string; modifiedAt: Date }[]> {
    const dir = this.path(prefix.replace(/\/$/, ""));
    const names = await readdir(dir).catch(() => [] as string[]);
    const out: { key: string; modifiedAt: Date }[] = [];
    for (const name of names) {
      if (name.endsWith(".tmp")) continue;
      const st = await stat(join(dir, name)).catch(() => null);
      if (st?.isFile()) out.push({ key: `${prefix.replace(/\/$/, "")}/${name}`, modifiedAt: st.mtime });
    }
    return out;
  }

  /** Removes temporary files (`*.tmp`, left by a crash during put) older than `olderThan`. */
  async sweepTemporary(olderThan: Date): Promise<number> {
    let removed = 0;
    const walk = async (dir: string): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        const file = join(dir, entry.name);
        if (entry.isDirectory()) await walk(file);
        else if (entry.name.endsWith(".tmp")) {
          const st = await stat(file).catch(() => null);
          if (st && st.mtime < olderThan) {
            await rm(file, { force: true });
            removed += 1;
          }
        }
      }
    };
    await walk(this.rootDir);
    return removed;
  }

  async has(key: string): Promise<boolean> {
    return stat(this.path(key)).then(
      () => true,
      () => false,
    );
  }
}
