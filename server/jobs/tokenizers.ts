/**
 * The tokenizers workers announce with their models: the worker sends its tokenizer.json once, the app
 * keeps it in the BlobStore by SHA-256 (tokenizers/<hash>.json) and loads it with @huggingface/tokenizers
 * to show how a prompt will be tokenised, without asking a worker.
 */
import { createHash } from "node:crypto";
import { AppError } from "../errors";
import type { BlobStore } from "../storage/blob-store";

export const MAX_TOKENIZER_BYTES = 64 * 1024 * 1024;
export const ZTokenizerHashRe = /^[0-9a-f]{64}$/;

export const tokenizerKey = (hash: string) => `tokenizers/${hash}.json`;

export async function hasTokenizer(store: BlobStore, hash: string): Promise<boolean> {
  if (!ZTokenizerHashRe.test(hash)) throw new AppError("BAD_REQUEST", "hash: a SHA-256 in lowercase hex");
  return store.has(tokenizerKey(hash));
}

export async function storeTokenizer(store: BlobStore, hash: string, body: Uint8Array): Promise<void> {
  if (!ZTokenizerHashRe.test(hash)) throw new AppError("BAD_REQUEST", "hash: a SHA-256 in lowercase hex");
  const actual = createHash("sha256").update(body).digest("hex");
  if (actual !== hash) throw new AppError("BAD_REQUEST", `body: its SHA-256 is ${actual}, not ${hash}`);
  try {
    const json = JSON.parse(Buffer.from(body).toString("utf8")) as { model?: unknown };
    if (typeof json !== "object" || json === null || !json.model) throw new Error("no model");
  } catch {
    throw new AppError("BAD_REQUEST", 'body: not a tokenizer.json (JSON with a "model" section)');
  }
  await store.put(tokenizerKey(hash), body, "application/json");
}
