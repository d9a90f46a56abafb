// Checks the committed tokenizer.json with the JS reader the worker uses (@huggingface/tokenizers):
// ids identical to the Python trainer's encoder, and decode(encode(text)) === text, for every case.
// usage: node gpu-worker/training/verify-tokenizer.mjs MODEL_DIR CASES_JSON
import { readFileSync } from "node:fs";
import { Tokenizer } from "@huggingface/tokenizers";

const [modelDir, casesPath] = process.argv.slice(2);
const tokenizer = new Tokenizer(
  JSON.parse(readFileSync(`${modelDir}/tokenizer.json`, "utf8")),
  JSON.parse(readFileSync(`${modelDir}/tokenizer_config.json`, "utf8")),
);
const { eot_id: eotId, cases } = JSON.parse(readFileSync(casesPath, "utf8"));
let idMismatch = 0;
let roundTrip = 0;
let tokens = 0;
for (const { text, ids } of cases) {
  const got = tokenizer.encode(text, { add_special_tokens: false }).ids;
  tokens += got.length;
  if (got.length !== ids.length || got.some((v, i) => v !== ids[i])) {
    if (idMismatch++ < 5)
      console.log("ids differ:", JSON.stringify(text).slice(0, 80), { js: got.slice(0, 20), py: ids.slice(0, 20) });
  }
  const back =
    got.length === 0 ? "" : tokenizer.decode(got, { skip_special_tokens: false, clean_up_tokenization_spaces: false });
  if (back !== text && roundTrip++ < 5)
    console.log("round trip differs:", JSON.stringify(text).slice(0, 80), JSON.stringify(back).slice(0, 80));
}
// the special token is recognised in text and decodes back
const special = tokenizer.encode("<|endoftext|>In the beginning", { add_special_tokens: false }).ids;
const specialOk = special[0] === eotId;
console.log(
  `${cases.length} cases, ${tokens} tokens: ${idMismatch} id mismatches, ${roundTrip} round-trip failures, ` +
    `<|endoftext|> -> ${special[0]} (${specialOk ? "ok" : "WRONG"})`,
);
process.exit(idMismatch === 0 && roundTrip === 0 && specialOk ? 0 : 1);
