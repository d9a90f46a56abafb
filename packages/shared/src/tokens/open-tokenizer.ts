/**
 * A Hugging Face tokenizer.json opened with @huggingface/tokenizers, as the GPU worker and the app both
 * use it (the app to show how a prompt will be tokenised with the tokenizer a worker announced).
 * Encodes without special tokens, as circuit-tracer's prompts are (reference §1.8); the BOS rule is the
 * caller's (the worker's ensureBos, or the id the worker announced).
 */
import { Tokenizer } from "@huggingface/tokenizers";

export interface OpenedTokenizer {
  encode(text: string): number[];
  decodeOne(id: number): string;
  decode(ids: number[]): string;
  /** Ids of all special (added, special: true) tokens. */
  specialIds: Set<number>;
  /** The id of the unknown token, when the vocabulary has one. */
  unkId: number | undefined;
  vocabSize: number;
  tokenToId(token: string): number | undefined;
}

interface TokenizerJson {
  added_tokens?: { id: number; content?: string; special?: boolean }[];
  model?: { unk_token?: string | null };
  normalizer?: unknown;
  post_processor?: unknown;
  pre_tokenizer?: unknown;
  decoder?: unknown;
}

export function openTokenizer(tokenizerJson: string | object, config: object = {}): OpenedTokenizer {
  const json = (typeof tokenizerJson === "string" ? JSON.parse(tokenizerJson) : { ...tokenizerJson }) as TokenizerJson;
  // The JS port insists on these keys being present, while real files may omit them.
  for (const key of ["normalizer", "pre_tokenizer", "post_processor", "decoder"] as const) json[key] ??= null;
  const tokenizer = new Tokenizer(json as never, config as never);
  const specialIds = new Set((json.added_tokens ?? []).filter((t) => t.special).map((t) => t.id));
  const unk = json.model?.unk_token;
  return {
    encode: (text) => tokenizer.encode(text, { add_special_tokens: false }).ids,
    decodeOne: (id) => tokenizer.decode([id], { skip_special_tokens: false }),
    decode: (ids) => tokenizer.decode(ids, { skip_special_tokens: false }),
    specialIds,
    unkId: unk ? tokenizer.token_to_id(unk) : undefined,
    vocabSize: tokenizer.get_vocab(true).size,
    tokenToId: (token) => tokenizer.token_to_id(token),
  };
}
