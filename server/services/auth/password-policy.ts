/**
 * What a new password must be: 8–200 characters and not easy to guess, as judged by zxcvbn (Dropbox's
 * estimator, here the maintained TypeScript port @zxcvbn-ts with its common-password, name and English
 * dictionaries plus keyboard patterns). Score 3 of 4 ("safely unguessable: moderate protection from an
 * offline slow-hash scenario", about 10^8 guesses or more) is the bar; the account's own name and email
 * count as guessable words, so "ada-lovelace-1815" is refused for Ada Lovelace.
 */
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as en from "@zxcvbn-ts/language-en";
import { z } from "zod";

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 200;
const MIN_SCORE = 3;

let estimator: ZxcvbnFactory | undefined;
function getEstimator(): ZxcvbnFactory {
  // Built on first use: the dictionaries take about 100 ms and some megabytes to load.
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
  });
  return estimator;
}

/** Why `password` is too weak (one sentence for the form), or null when it is acceptable. */
export function passwordWeakness(password: string, userInputs: string[] = []): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `at most ${MAX_PASSWORD_LENGTH} characters`;
  // The email's local part and the name's words are what an attacker tries first.
  const inputs = userInputs.flatMap((s) => s.toLowerCase().split(/[^\p{L}\p{N}]+/u)).filter((s) => s.length >= 3);
  const result = getEstimator().check(password, [...inputs, "circuitboard"]);
  if (result.score >= MIN_SCORE) return null;
  const why = result.feedback.warning ?? "This password is easy to guess.";
  const hint = result.feedback.suggestions[0] ?? "Use a few uncommon words together.";
  return `too easy to guess. ${why} ${hint}`;
}

/** A new password's field (length only; the strength check needs the name and email, see below). */
export const ZPasswordFieldSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `at most ${MAX_PASSWORD_LENGTH} characters`);

/** Adds the strength check of `field` to an object schema's refinement, with the field named. */
export function checkPasswordStrength(
  ctx: z.RefinementCtx,
  { field, password, userInputs }: { field: string; password: string; userInputs: string[] },
): void {
  const weakness = passwordWeakness(password, userInputs);
  if (weakness) ctx.addIssue({ code: "custom", path: [field], message: `${field}: ${weakness}` });
}
