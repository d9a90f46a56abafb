import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { randomBytes } from "node:crypto";
import { assertSafeKey, type BlobStore } from "./blob-store";

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

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  async has(key: string): Promise<boolean> {
    return stat(this.path(key)).then(
      () => true,
      () => false,
    );
  }
}
