"""Byte-level BPE in the GPT-2 / Hugging Face `tokenizers` layout, trained from scratch.

The Python `tokenizers` package is not available offline, so this file carries the three pieces we need:
  1. the GPT-2 pre-tokenizer (regex split + bytes -> printable unicode map),
  2. a BPE trainer over pre-token frequencies with incremental pair counts,
  3. an encoder/decoder and a writer for `tokenizer.json` + `tokenizer_config.json` that the Rust crate and
     the JS reader `@huggingface/tokenizers` load as a GPT-2 tokenizer (model BPE, pre-tokenizer and decoder
     ByteLevel, one added special token `<|endoftext|>` at the last id, as in GPT-2).
"""

import json
import re
from collections import Counter, defaultdict

EOT = "<|endoftext|>"

# GPT-2's split pattern (openai/gpt-2 encoder.py, also the `use_regex` pattern of HF ByteLevel):
#   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
# Python's `re` has no \p{..}; \w is exactly "letter or number (any N category) or _", so
#   \p{L} ~ [^\W\d_]   (differs only on non-decimal numerals such as '²', absent from the corpus)
#   \p{N} ~ \d          (Nd only; same caveat)
#   [^\s\p{L}\p{N}] = [^\s\w] plus '_'
GPT2_SPLIT = re.compile(
    r"""'s|'t|'re|'ve|'m|'ll|'d| ?[^\W\d_]+| ?\d+| ?(?:[^\s\w]|_)+|\s+(?!\S)|\s+"""
)


def bytes_to_unicode():
    """GPT-2's reversible byte -> printable unicode char map (openai/gpt-2 encoder.py).

    Printable latin-1 bytes map to themselves; the other 68 bytes map to chr(256 + n) in byte order, so a
    space becomes 'Ġ' and a newline 'Ċ'. The order of the returned dict is the order of GPT-2's first 256 ids.
    """
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}


BYTE_ENCODER = bytes_to_unicode()
BYTE_DECODER = {c: b for b, c in BYTE_ENCODER.items()}


def pretokenize(text):
    """Text -> list of pre-tokens, each already mapped to byte-level unicode (e.g. ' God' -> 'ĠGod')."""
    return ["".join(BYTE_ENCODER[b] for b in piece.encode("utf-8")) for piece in GPT2_SPLIT.findall(text)]


def train_bpe(texts, vocab_size, log=print):
    """Learn merges until len(vocab) == vocab_size - 1 (the last id is reserved for <|endoftext|>).

    Works on distinct pre-tokens weighted by frequency. Pair counts are updated incrementally: a merge only
    touches the words that contain the merged pair (`where[pair]`). Ties are broken by the pair's strings,
    so the result does not depend on dict order.
    """
    word_freq = Counter()
    for t in texts:
        word_freq.update(pretokenize(t))
    words = [list(w) for w in word_freq]          # symbols of each distinct pre-token
    freqs = [word_freq[w] for w in word_freq]
    vocab = list(BYTE_ENCODER.values())           # ids 0..255: the 256 byte symbols, in GPT-2 order
    merges = []

    counts = defaultdict(int)
    where = defaultdict(set)
    for i, w in enumerate(words):
        for a, b in zip(w, w[1:]):
            counts[(a, b)] += freqs[i]
            where[(a, b)].add(i)

    n_merges = vocab_size - 1 - len(vocab)
    for step in range(n_merges):
        best = max(counts, key=lambda p: (counts[p], p[0], p[1]), default=None)
        if best is None or counts[best] < 2:
            log(f"bpe: stopping early at {len(vocab)} symbols (no pair occurs twice)")
            break
        a, b = best
        new = a + b
        merges.append(best)
        vocab.append(new)
        for i in list(where[best]):
            w, f = words[i], freqs[i]
            # remove this word's old pair counts, merge, add the new ones back
            for p in zip(w, w[1:]):
                counts[p] -= f
                if counts[p] <= 0:
                    del counts[p]
                where[p].discard(i)
            j, out = 0, []
            while j < len(w):
                if j + 1 < len(w) and w[j] == a and w[j + 1] == b:
                    out.append(new)
                    j += 2
                else:
                    out.append(w[j])
                    j += 1
            words[i] = out
            for p in zip(out, out[1:]):
                counts[p] += f
                where[p].add(i)
        where.pop(best, None)
        if step % 500 == 0:
            log(f"bpe: merge {step}/{n_merges} {a!r}+{b!r} -> {new!r}")
    return vocab, merges


class ByteLevelBPE:
    """Encoder/decoder for a (vocab, merges) pair: merges are applied lowest rank first, as in HF BPE."""

    def __init__(self, vocab, merges):
        self.vocab = list(vocab) + [EOT]
        self.token_to_id = {t: i for i, t in enumerate(self.vocab)}
        self.eot_id = self.token_to_id[EOT]
        self.ranks = {tuple(m): r for r, m in enumerate(merges)}
        self.merges = [tuple(m) for m in merges]
        self.cache = {}

    def _bpe(self, word):
        if word in self.cache:
            return self.cache[word]
        syms = list(word)
        while len(syms) > 1:
            pairs = [(self.ranks.get(p, 1 << 30), k) for k, p in enumerate(zip(syms, syms[1:]))]
            rank, _ = min(pairs)
            if rank == 1 << 30:
                break
            a, b = self.merges[rank]
            out, j = [], 0
            while j < len(syms):
                if j + 1 < len(syms) and syms[j] == a and syms[j + 1] == b:
                    out.append(a + b)
                    j += 2
                else:
                    out.append(syms[j])
                    j += 1
            syms = out
        ids = [self.token_to_id[s] for s in syms]
        self.cache[word] = ids
        return ids

    def encode(self, text):
        """Plain text (no special tokens recognised) -> ids."""
        ids = []
        for w in pretokenize(text):
            ids.extend(self._bpe(w))
        return ids

    def decode(self, ids):
        parts = []
        for i in ids:
            t = self.vocab[i]
            parts.append(t.encode("utf-8") if i == self.eot_id else bytes(BYTE_DECODER[c] for c in t))
        return b"".join(parts).decode("utf-8", errors="replace")

    def save(self, out_dir, model_max_length):
        """Write tokenizer.json (the HF GPT-2 layout) and tokenizer_config.json into out_dir."""
        byte_level = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True}
        tok = {
            "version": "1.0",
            "truncation": None,
            "padding": None,
            "added_tokens": [{"id": self.eot_id, "content": EOT, "single_word": False, "lstrip": False,
                              "rstrip": False, "normalized": True, "special": True}],
            "normalizer": None,
            "pre_tokenizer": byte_level,
            "post_processor": {**byte_level, "trim_offsets": False},
            "decoder": byte_level,
            "model": {
                "type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "",
                "end_of_word_suffix": "", "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                "vocab": self.token_to_id,
                "merges": [f"{a} {b}" for a, b in self.merges],
            },
        }
        with open(f"{out_dir}/tokenizer.json", "w", encoding="utf-8") as f:
            json.dump(tok, f, ensure_ascii=False, indent=1)
        cfg = {"add_prefix_space": False, "bos_token": EOT, "eos_token": EOT, "unk_token": EOT,
               "model_max_length": model_max_length, "tokenizer_class": "GPT2Tokenizer", "clean_up_tokenization_spaces": False}
        with open(f"{out_dir}/tokenizer_config.json", "w", encoding="utf-8") as f:
            json.dump(cfg, f, ensure_ascii=False, indent=1)

    @classmethod
    def load(cls, path):
        with open(path, encoding="utf-8") as f:
            tok = json.load(f)
        vocab_map = tok["model"]["vocab"]
        vocab = sorted(vocab_map, key=vocab_map.get)
        assert vocab[-1] == EOT, vocab[-1]
        merges = [tuple(m.split(" ")) for m in tok["model"]["merges"]]
        return cls(vocab[:-1], merges)
