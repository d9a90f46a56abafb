/**
 * Both BlobStore backends, the same assertions: the local directory, and an S3-compatible server
 * (s3rver, a real HTTP S3 implementation from npm) reached through the AWS SDK over a socket.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import S3rver from "s3rver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BlobStore } from "~/server/storage/blob-store";
import { LocalBlobStore } from "~/server/storage/local-blob-store";
import { S3BlobStore } from "~/server/storage/s3-blob-store";

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), "cb-blob-"));
  dirs.push(d);
  return d;
};

let s3server: S3rver | undefined;
const backends: { name: string; make: () => Promise<BlobStore> }[] = [
  { name: "local directory", make: async () => new LocalBlobStore(tmp()) },
  {
    name: "S3-compatible (s3rver over HTTP)",
    make: async () => {
      s3server = new S3rver({
        port: 0,
        address: "127.0.0.1",
        silent: true,
        directory: tmp(),
        configureBuckets: [{ name: "circuitboard", configs: [] }],
      });
      const { port } = (await s3server.run()) as { port: number };
      return new S3BlobStore({
        endpoint: `http://127.0.0.1:${port}`,
        region: "us-east-1",
        bucket: "circuitboard",
        prefix: "test/",
        accessKeyId: "S3RVER",
        secretAccessKey: "S3RVER",
        forcePathStyle: true,
      });
    },
  },
];

afterAll(async () => {
  await s3server?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

for (const backend of backends) {
  describe(`BlobStore: ${backend.name}`, () => {
    let store: BlobStore;
    beforeAll(async () => {
      store = await backend.make();
    });

    it("stores and returns bytes exactly, including a multi-megabyte body", async () => {
      const body = new Uint8Array(3 * 1024 * 1024 + 7).map((_, i) => (i * 2654435761) >>> 24);
      await store.put("graphs/abc.json.gz", body, "application/gzip");
      expect(await store.has("graphs/abc.json.gz")).toBe(true);
      const back = await store.get("graphs/abc.json.gz");
      expect(back?.byteLength).toBe(body.byteLength);
      expect(Buffer.compare(Buffer.from(back!), Buffer.from(body))).toBe(0);
    });

    it("overwrites, deletes, and reports missing keys as null/false", async () => {
      await store.put("graphs/x", new TextEncoder().encode("one"));
      await store.put("graphs/x", new TextEncoder().encode("two"));
      expect(new TextDecoder().decode((await store.get("graphs/x"))!)).toBe("two");
      await store.delete("graphs/x");
      expect(await store.get("graphs/x")).toBeNull();
      expect(await store.has("graphs/x")).toBe(false);
      await store.delete("graphs/never-existed"); // deleting nothing is not an error
    });

    const RANGE_CASES: { name: string; start: number; end: number; expected: number[] | null; key?: string }[] = [
      { name: "a span in the middle is exactly those bytes", start: 3, end: 7, expected: [3, 4, 5, 6] },
      // (Not a one-byte span at 0: s3rver reads "bytes=0-0" as the whole object; S3 itself does not.)
      { name: "a span at the start", start: 0, end: 2, expected: [0, 1] },
      { name: "a span past the end is cut at the end", start: 8, end: 20, expected: [8, 9] },
      { name: "a missing key is null", start: 0, end: 4, expected: null, key: "ranges/missing" },
    ];
    for (const c of RANGE_CASES) {
      it(`readRange: ${c.name}`, async () => {
        await store.put("ranges/ten", new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
        const back = await store.readRange(c.key ?? "ranges/ten", c.start, c.end);
        expect(back === null ? null : [...back]).toEqual(c.expected);
      });
    }

    it("readRange refuses an empty or negative range and unsafe keys", async () => {
      await expect(store.readRange("ranges/ten", 4, 4)).rejects.toThrow(/start < end/);
      await expect(store.readRange("ranges/ten", -1, 2)).rejects.toThrow(/start < end/);
      await expect(store.readRange("../x", 0, 2)).rejects.toThrow(/unsafe blob key/);
    });

    it("refuses keys that could escape the store", async () => {
      for (const key of ["../etc/passwd", "/abs", "a/../../b", "a//b", ""]) {
        await expect(store.put(key, new Uint8Array([1]))).rejects.toThrow(/unsafe blob key/);
      }
    });
  });
}
