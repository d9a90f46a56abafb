import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { openTokenizer } from "@circuitboard/shared/tokens/open-tokenizer";
import type { ModelConfig } from "./model-config";

/**
 * The prompt tokenizer: `tokenizer.json` (+ optional `tokenizer_config.json`) through
 * @huggingface/tokenizers, plus the BOS rule of reference §1.8.
 */
export interface PromptTokenizer {
  /** Token ids of `text` without special tokens (reference §1.8: the library tokenises that way). */
  encode(text: string): number[];
  decodeOne(id: number): string;
  decode(ids: number[]): string;
  /** Ids of all special (added, special: true) tokens. */
  specialIds: Set<number>;
  /** Vocabulary size including added tokens. */
  vocabSize: number;
  tokenToId(token: string): number | undefined;
}

export function loadTokenizer(dir: string): PromptTokenizer {
  const configPath = join(dir, "tokenizer_config.json");
  const config = existsSync(configPath) ? (JSON.parse(readFileSync(configPath, "utf8")) as object) : {};
  return openTokenizer(readFileSync(join(dir, "tokenizer.json"), "utf8"), config);
}

/**
 * Reference §1.8: if the first id is not special, prepend the first *truthy* id among bos, pad,
 * eos, then the other special ids. The "truthy" filter skips an id of 0, as the library does
 * (a quirk we reproduce so graphs agree with circuit-tracer's).
 */
export function ensureBos(
  ids: number[],
  tokenizer: Pick<PromptTokenizer, "specialIds">,
  config: Pick<ModelConfig, "bos_token_id" | "pad_token_id" | "eos_token_id">,
): number[] {
  if (ids.length > 0 && tokenizer.specialIds.has(ids[0]!)) return ids;
  const candidates = [config.bos_token_id, config.pad_token_id, config.eos_token_id, ...tokenizer.specialIds];
  const bos = candidates.find((id): id is number => typeof id === "number" && id !== 0);
  if (bos === undefined)
    throw new Error(
      "ensureBos: no BOS-like special token id found (bos, pad, eos or any special token other than id 0)",
    );
  return [bos, ...ids];
}
