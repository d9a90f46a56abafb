"""Write tokenizer test cases (text + ids from the Python encoder) for verify-tokenizer.mjs.

usage: dump_tokenizer_cases.py WORK_DIR MODEL_DIR OUT_JSON [--n 3000]
Cases: the first N verses of the validation and held-out splits (whole chapters too), plus edge cases
(leading/trailing/multiple spaces, digits, apostrophes, underscores, non-ASCII, an empty string).
"""
import argparse
import json

from bpe import ByteLevelBPE

EDGE = ["", " ", "  two  spaces  ", "\n\n", "Trailing space ", " leading", "tab\there", "It's they're we've I'm you'll he'd",
        "numbers 1611 and 3:16, 12345678", "snake_case __init__", "café naïve — “quotes” ½ ²", "日本語 テキスト",
        "emoji 🙂 ok", "UPPER lower MiXeD", "a\r\nb", "multiple!!! ?? ...", "end."]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("work_dir")
    ap.add_argument("model_dir")
    ap.add_argument("out")
    ap.add_argument("--n", type=int, default=3000)
    args = ap.parse_args()
    tok = ByteLevelBPE.load(f"{args.model_dir}/tokenizer.json")
    texts, chapters = [], []
    for split in ["val", "heldout"]:
        with open(f"{args.work_dir}/{split}.jsonl") as f:
            for line in f:
                d = json.loads(line)
                chapters.append(d["text"])
                texts.extend(d["text"].split("\n"))
    cases = [{"text": t, "ids": tok.encode(t)} for t in texts[: args.n] + chapters[:20] + EDGE]
    for c in cases:
        assert tok.decode(c["ids"]) == c["text"], c["text"]
    with open(args.out, "w") as f:
        json.dump({"eot_id": tok.eot_id, "cases": cases}, f, ensure_ascii=False)
    print(f"wrote {len(cases)} cases to {args.out}")


if __name__ == "__main__":
    main()
