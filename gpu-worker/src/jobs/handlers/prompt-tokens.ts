/** A job's prompt as the model reads it (BOS rule of reference §1.8), refused as BAD_INPUT when it does not fit. */
import type { LoadedWorkerModel } from "../../generate-graph";
import { ensureBos } from "../../models/load-tokenizer";
import { JobError } from "../job-error";

export function promptTokens(loaded: LoadedWorkerModel, prompt: string): number[] {
  const tokens = ensureBos(loaded.tokenizer.encode(prompt), loaded.tokenizer, loaded.model.config);
  const nCtx = loaded.model.config.n_ctx;
  if (nCtx && tokens.length > nCtx) {
    throw new JobError(
      "BAD_INPUT",
      `prompt: ${tokens.length} tokens with BOS; the model reads at most ${nCtx} (n_ctx)`,
    );
  }
  return tokens;
}
