"""Step 1: corpus + tokenizer.

Extracts the King James Version of the Bible from Debian's `bible-kjv-text` (read with the `bible` program of
`bible-kjv`), drops the verse references, and splits by chapter:
  chapter_index % 20 == 7   -> validation   (~5%)
  chapter_index % 20 == 17  -> held-out     (~5%, reserved for feature dashboards; never trained on)
  otherwise                 -> train        (~90%)
A chapter is one document: its verses joined by "\n". Trains the byte-level BPE on the train split only,
writes tokenizer.json into the model directory and the token streams (uint16, one <|endoftext|> before
every chapter) into the work directory.

usage: prepare_data.py WORK_DIR MODEL_DIR [--vocab-size 4096]
"""

import argparse
import json
import os
import re
import subprocess
import time

import numpy as np

from bpe import ByteLevelBPE, train_bpe

REF = re.compile(r"^([1-3]?[A-Za-z]+)(\d+):(\d+) (.*)$")


def extract_kjv():
    """-> list of chapters, each (book, chapter number, [verse texts])."""
    raw = subprocess.run(["bible", "-f", "Gen1:1-Rev22:21"], check=True, capture_output=True, text=True).stdout
    chapters = []
    for line in raw.splitlines():
        m = REF.match(line)
        assert m, f"unexpected line from `bible`: {line[:80]!r}"
        book, chap, _verse, text = m.group(1), int(m.group(2)), int(m.group(3)), m.group(4).strip()
        if not chapters or chapters[-1][:2] != (book, chap):
            chapters.append((book, chap, []))
        chapters[-1][2].append(text)
    assert len(chapters) == 1189, f"KJV has 1189 chapters, got {len(chapters)}"
    return chapters


def split_of(i):
    return "val" if i % 20 == 7 else "heldout" if i % 20 == 17 else "train"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("work_dir")
    ap.add_argument("model_dir")
    ap.add_argument("--vocab-size", type=int, default=4096)
    ap.add_argument("--n-ctx", type=int, default=128)
    args = ap.parse_args()
    os.makedirs(args.work_dir, exist_ok=True)
    os.makedirs(args.model_dir, exist_ok=True)
    t0 = time.time()

    chapters = extract_kjv()
    docs = {"train": [], "val": [], "heldout": []}
    for i, (book, chap, verses) in enumerate(chapters):
        docs[split_of(i)].append({"book": book, "chapter": chap, "text": "\n".join(verses)})
    for k, v in docs.items():
        with open(f"{args.work_dir}/{k}.jsonl", "w") as f:
            for d in v:
                f.write(json.dumps(d) + "\n")
    print({k: (len(v), sum(len(d["text"]) for d in v)) for k, v in docs.items()}, flush=True)

    vocab, merges = train_bpe([d["text"] for d in docs["train"]], args.vocab_size)
    tok = ByteLevelBPE(vocab, merges)
    tok.save(args.model_dir, model_max_length=args.n_ctx)
    print(f"tokenizer: {len(tok.vocab)} ids, {len(merges)} merges ({time.time() - t0:.0f}s)", flush=True)

    stats = {}
    for k, v in docs.items():
        ids, line_starts = [], []
        for d in v:
            ids.append(tok.eot_id)
            for n, verse in enumerate(d["text"].split("\n")):
                if n:
                    ids.extend(tok.encode("\n"))  # always the single token 'Ċ'
                line_starts.append(len(ids))
                ids.extend(tok.encode(verse))
        ids = np.array(ids, dtype=np.uint16)
        np.save(f"{args.work_dir}/{k}_ids.npy", ids)
        np.save(f"{args.work_dir}/{k}_line_starts.npy", np.array(line_starts, dtype=np.int64))
        chars = sum(len(d["text"]) for d in v)
        stats[k] = {"chapters": len(v), "chars": chars, "tokens": int(len(ids)), "chars_per_token": chars / len(ids)}
        print(k, stats[k], flush=True)
    with open(f"{args.work_dir}/data_stats.json", "w") as f:
        json.dump(stats, f, indent=1)
    print(f"prepare_data done in {time.time() - t0:.0f}s", flush=True)


if __name__ == "__main__":
    main()
