import { readFileSync } from "node:fs";
import { ensureBos, type PromptTokenizer } from "../models/load-tokenizer";
import type { ModelConfig } from "../models/model-config";

/**
 * The held-out corpus as token windows for the dashboards. A file is either JSON Lines with a
 * `text` field per line (the demo training split's format) or plain text, whose documents are the
 * blank-line separated paragraphs. Documents are tokenised one at a time and joined by the BOS id
 * (as GPT-2 joins documents by <|endoftext|>); the stream is cut into windows of T − 1 tokens, each
 * prefixed with BOS (reference §1.8: position 0 carries no features), so every window is T long.
 * Only as much text as `maxWindows` needs is tokenised.
 */
export function readCorpusDocuments(path: string): string[] {
  const text = readFileSync(path, "utf8");
  if (/\.jsonl$/i.test(path)) {
    return text.split("\n").flatMap((line, n) => {
      if (line.trim() === "") return [];
      let doc: unknown;
      try {
        doc = JSON.parse(line);
      } catch {
        throw new Error(`corpus ${path}:${n + 1}: expected a JSON object per line`);
      }
      const t = (doc as { text?: unknown }).text;
      if (typeof t !== "string")
        throw new Error(`corpus ${path}:${n + 1}: expected a string field "text", got ${typeof t}`);
      return [t];
    });
  }
  return text
    .split(/\n\s*\n/)
    .map((d) => d.trim())
    .filter((d) => d.length > 0);
}

export function corpusWindows(
  documents: Iterable<string>,
  tokenizer: Pick<PromptTokenizer, "encode" | "specialIds">,
  config: Pick<ModelConfig, "bos_token_id" | "pad_token_id" | "eos_token_id" | "n_ctx">,
  o: { windowTokens: number; maxWindows: number },
): number[][] {
  const T = o.windowTokens;
  if (!Number.isInteger(T) || T < 2) throw new Error(`corpusWindows: windowTokens must be an integer ≥ 2, got ${T}`);
  if (T > config.n_ctx) throw new Error(`corpusWindows: windowTokens ${T} exceeds the model's n_ctx ${config.n_ctx}`);
  const bos = ensureBos([], tokenizer, config)[0]!;
  const windows: number[][] = [];
  let current: number[] = [bos];
  let isFirstDocument = true;
  for (const doc of documents) {
    const ids = tokenizer.encode(doc);
    const stream = isFirstDocument ? ids : [bos, ...ids];
    isFirstDocument = false;
    for (const id of stream) {
      if (id === bos && current.length === 1) continue; // a window already opens with BOS
      current.push(id);
      if (current.length === T) {
        windows.push(current);
        if (windows.length >= o.maxWindows) return windows;
        current = [bos];
      }
    }
  }
  return windows; // a last partial window is dropped so that every window has T tokens
}
