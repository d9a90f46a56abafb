// Beginning-of-sequence tokens: every prompt starts with one (circuit-tracer keeps it as position 0), and it is
// noise in a list of prompts. The viewer shows it as a badge, lists leave it out.

const BOS_TOKENS = new Set(["<|endoftext|>", "<bos>", "<|begin_of_text|>", "<s>", "<|startoftext|>", "[CLS]"]);

export function isBosToken(token: string | undefined): boolean {
  return token !== undefined && BOS_TOKENS.has(token);
}

/** The prompt text without its leading BOS token (the text as a person typed it). */
export function promptWithoutBos(prompt: string): string {
  for (const bos of BOS_TOKENS) if (prompt.startsWith(bos)) return prompt.slice(bos.length);
  return prompt;
}
