#!/usr/bin/env python3
"""Hugging Face as the reference for the GPU check (bench/gpu-check.sh, issue 17).

Three commands. write-small and hf-logits need torch and transformers; the checkpoint writers use torch
(on the GPU when there is one) for the random numbers where it is installed, else numpy, and write the
safetensors files themselves:

  write-small DIR        random GPT-2, Llama and Gemma-2 checkpoints written by transformers' own
                         model classes (save_pretrained, safetensors), each with a per-layer JumpReLU
                         transcoder set in circuit-tracer's layout, and tokens.json (the prompt ids)
  hf-logits DIR OUT      transformers' forward on those files and ids: logits in float32 and float64
                         (CPU, eager attention), written to OUT as JSON
  write-gemma2-2b DIR [--small]
                         a Gemma-2-2B-shaped random checkpoint (26 layers, d 2304, 8/4 heads of 256,
                         GeGLU 9216, vocab 256,000; BF16 in 4 shards), a tokenizer.json (one token per
                         letter) and GemmaScope-sized transcoders (16,384 features per layer, TopK 64);
                         --small: the same at toy size

Exit status 3 means a needed package is missing (the caller reports the stage as skipped).
"""

import json
import math
import os
import sys
import time


def need(*names):
    missing = []
    for name in names:
        try:
            __import__(name)
        except ImportError:
            missing.append(name)
    if missing:
        print(f"reference.py: missing Python package(s): {', '.join(missing)}", file=sys.stderr)
        sys.exit(3)


# The small models: shapes small enough for a second on a CPU, with every architectural feature
# switched on where it bites at this size (GQA, Llama-3 RoPE scaling, Gemma's soft-caps, local window
# and query_pre_attn_scalar). Token ids: BOS then a fixed sequence, 12 tokens.
TOKENS = [1, 17, 4, 99, 23, 8, 61, 4, 150, 42, 7, 200]
VOCAB = 256


def small_configs():
    from transformers import Gemma2Config, GPT2Config, LlamaConfig

    return {
        "gpt2": GPT2Config(
            vocab_size=VOCAB, n_positions=64, n_embd=64, n_layer=3, n_head=4, n_inner=128,
            activation_function="gelu_new", layer_norm_epsilon=1e-5, bos_token_id=1, eos_token_id=1,
            resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0,
        ),
        "llama": LlamaConfig(
            vocab_size=VOCAB, hidden_size=64, intermediate_size=160, num_hidden_layers=3,
            num_attention_heads=4, num_key_value_heads=2, head_dim=16, max_position_embeddings=64,
            rms_norm_eps=1e-6, rope_theta=10000.0, hidden_act="silu", tie_word_embeddings=False,
            rope_scaling={"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                          "original_max_position_embeddings": 16},
            bos_token_id=1, eos_token_id=2,
        ),
        "gemma2": Gemma2Config(
            vocab_size=VOCAB, hidden_size=64, intermediate_size=160, num_hidden_layers=4,
            num_attention_heads=4, num_key_value_heads=2, head_dim=16, max_position_embeddings=64,
            rms_norm_eps=1e-6, rope_theta=10000.0, hidden_activation="gelu_pytorch_tanh",
            query_pre_attn_scalar=24, attn_logit_softcapping=2.0, final_logit_softcapping=3.0, sliding_window=5,
            bos_token_id=2, eos_token_id=1, pad_token_id=0,
        ),
    }


HOOKS = {  # (feature_input_hook, feature_output_hook) per architecture, as circuit-tracer's sets use
    "gpt2": ("mlp.hook_in", "hook_mlp_out"),
    "llama": ("mlp.hook_in", "hook_mlp_out"),
    "gemma2": ("ln2.hook_normalized", "hook_mlp_out"),
}


def randomize(model, arch, gen):
    """Weights of O(1) effect (HF's init, std 0.02, leaves every logit near uniform)."""
    import torch

    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.dim() >= 2:
                fan_in = p.shape[0] if arch == "gpt2" and "wte" not in name and "wpe" not in name else p.shape[-1]
                std = 0.3 if ("wte" in name or "wpe" in name or "embed" in name) else 1.0 / math.sqrt(fan_in)
                p.copy_(torch.randn(p.shape, generator=gen) * std)
            elif "norm" in name or name.endswith(("ln_1.weight", "ln_2.weight", "ln_f.weight")):
                base = 0.0 if arch == "gemma2" else 1.0  # Gemma's RMSNorm scales by (1 + w)
                p.copy_(base + 0.2 * torch.randn(p.shape, generator=gen))
            else:
                p.copy_(0.1 * torch.randn(p.shape, generator=gen))


class Tensors:
    """Random tensors and a safetensors writer: torch (on the GPU when there is one) where it is installed,
    else numpy, so the checkpoint writers also run on a machine without torch (small shapes, for testing)."""

    def __init__(self, seed):
        try:
            import torch

            self.torch = torch
            self.device = "cuda" if torch.cuda.is_available() else "cpu"
            self.gen = torch.Generator(device=self.device).manual_seed(seed)
        except ImportError:
            import numpy

            self.torch = None
            self.rng = numpy.random.default_rng(seed)

    def randn(self, shape, std):
        """A float32 numpy array of N(0, std²) values."""
        if self.torch:
            return (self.torch.randn(*shape, generator=self.gen, device=self.device) * std).cpu().numpy()
        return (self.rng.standard_normal(shape, dtype="float32") * std).astype("float32")

    def uniform(self, shape, hi):
        if self.torch:
            return (self.torch.rand(*shape, generator=self.gen, device=self.device) * hi).cpu().numpy()
        return (self.rng.random(shape, dtype="float32") * hi).astype("float32")


def save_safetensors(path, tensors, dtype="F32"):
    """The safetensors format (an 8-byte header length, a JSON header, the raw little-endian data) for
    float32 numpy arrays, stored as F32 or BF16 (round to nearest even)."""
    import numpy

    header, chunks, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, a in tensors.items():
        a = numpy.ascontiguousarray(a, dtype="<f4")
        if dtype == "BF16":
            # Round to nearest even in uint32: finite floats are at most 0xFF7FFFFF, so u + 0x8000 cannot overflow.
            u = a.view("<u4")
            data = ((u + (0x7FFF + ((u >> 16) & 1))) >> 16).astype("<u2").tobytes()
        else:
            data = a.tobytes()
        header[name] = {"dtype": dtype, "shape": list(a.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    head = json.dumps(header, separators=(",", ":")).encode()
    head += b" " * (-len(head) % 8)
    with open(path, "wb") as f:
        f.write(len(head).to_bytes(8, "little"))
        f.write(head)
        for c in chunks:
            f.write(c)


def write_transcoders(path, n_layers, d_model, n_features, hooks, rand, activation="jumprelu", k=64):
    """A per-layer transcoder set in circuit-tracer's layout: config.yaml + layer_{l}.safetensors."""
    os.makedirs(path, exist_ok=True)
    lines = [
        "model_name: gpu-check-random",
        "model_kind: transcoder_set",
        f"feature_input_hook: {hooks[0]}",
        f'feature_output_hook: "{hooks[1]}"',
        "scan: gpu-check-random",
    ]
    if activation == "topk":
        lines += ["activation: topk", f"k: {k}"]
    with open(os.path.join(path, "config.yaml"), "w") as f:
        f.write("\n".join(lines) + "\n")
    for layer in range(n_layers):
        tensors = {
            "W_enc": rand.randn((n_features, d_model), 1 / math.sqrt(d_model)),
            "W_dec": rand.randn((n_features, d_model), 1 / math.sqrt(n_features)),
            "b_enc": rand.randn((n_features,), 0.1),
            "b_dec": rand.randn((d_model,), 0.1),
        }
        if activation == "jumprelu":
            tensors["activation_function.threshold"] = rand.uniform((n_features,), 0.3)
        save_safetensors(os.path.join(path, f"layer_{layer}.safetensors"), tensors)


def write_small(out):
    need("torch", "transformers")
    import torch
    from transformers import AutoModelForCausalLM

    gen = torch.Generator().manual_seed(1717)
    os.makedirs(out, exist_ok=True)
    for arch, config in small_configs().items():
        model_dir = os.path.join(out, arch, "model")
        model = AutoModelForCausalLM.from_config(config).float()
        randomize(model, arch, gen)
        model.save_pretrained(model_dir, safe_serialization=True)
        d = config.hidden_size if arch != "gpt2" else config.n_embd
        n_layers = config.num_hidden_layers if arch != "gpt2" else config.n_layer
        write_transcoders(os.path.join(out, arch, "transcoders"), n_layers, d, 96, HOOKS[arch], Tensors(len(arch)))
        print(f"wrote {arch}: {sum(p.numel() for p in model.parameters())} parameters", file=sys.stderr)
        legacy_rope_copy(out, arch)
    with open(os.path.join(out, "tokens.json"), "w") as f:
        json.dump(TOKENS, f)


def legacy_rope_copy(out, arch):
    """Newer transformers write RoPE settings as `rope_parameters` rather than `rope_theta` + `rope_scaling`.
    Where save_pretrained did so, a sibling ARCH-legacy-rope/ holds the same weights (symlinks) with the older
    keys added, so stage (b) tells a config-format gap in the worker's loader from a numerical one."""
    model_dir = os.path.join(out, arch, "model")
    with open(os.path.join(model_dir, "config.json")) as f:
        cfg = json.load(f)
    rp = cfg.get("rope_parameters")
    if not isinstance(rp, dict) or ("rope_theta" in cfg and ("rope_scaling" in cfg or rp.get("rope_type") in (None, "default"))):
        return
    legacy = os.path.join(out, f"{arch}-legacy-rope")
    os.makedirs(os.path.join(legacy, "model"), exist_ok=True)
    for name in os.listdir(model_dir):
        if name != "config.json":
            os.symlink(os.path.abspath(os.path.join(model_dir, name)), os.path.join(legacy, "model", name))
    os.symlink(os.path.abspath(os.path.join(out, arch, "transcoders")), os.path.join(legacy, "transcoders"))
    cfg["rope_theta"] = rp.get("rope_theta", 10000.0)
    if rp.get("rope_type", "default") != "default":
        cfg["rope_scaling"] = {k: v for k, v in rp.items() if k != "rope_theta"}
    with open(os.path.join(legacy, "model", "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    print(f"wrote {arch}-legacy-rope (rope_parameters → rope_theta / rope_scaling)", file=sys.stderr)


def hf_logits(models_dir, out):
    need("torch", "transformers")
    import torch
    import transformers
    from transformers import AutoModelForCausalLM

    ids = torch.tensor([TOKENS])
    result = {"transformers": transformers.__version__, "torch": torch.__version__, "tokens": TOKENS, "models": {}}
    for arch in sorted(os.listdir(models_dir)):
        model_dir = os.path.join(models_dir, arch, "model")
        if not os.path.isdir(model_dir):
            continue
        with open(os.path.join(model_dir, "config.json")) as f:
            entry = {"config_keys": sorted(json.load(f))}
        for dtype, key in ((torch.float32, "float32"), (torch.float64, "float64")):
            model = AutoModelForCausalLM.from_pretrained(model_dir, attn_implementation="eager").to(dtype)
            model.eval()
            with torch.no_grad():
                logits = model(ids).logits[0]  # (T, V)
            entry[key] = logits.double().flatten().tolist()
            entry["shape"] = list(logits.shape)
        result["models"][arch] = entry
        print(f"transformers forward: {arch} {entry['shape']}", file=sys.stderr)
    with open(out, "w") as f:
        json.dump(result, f)


def write_tokenizer(path, vocab_size, specials):
    """A real tokenizer.json: BPE without merges over single letters (one token per letter word)."""
    vocab = {tok: i for i, tok in enumerate(specials)}
    for c in "abcdefghijklmnopqrstuvwxyz":
        vocab[c] = len(vocab)
    while len(vocab) < vocab_size:
        vocab[f"<unused{len(vocab)}>"] = len(vocab)
    added = [dict(id=i, content=t, single_word=False, lstrip=False, rstrip=False, normalized=False, special=True)
             for i, t in enumerate(specials)]
    tok = {
        "version": "1.0", "added_tokens": added, "normalizer": None, "pre_tokenizer": {"type": "WhitespaceSplit"},
        "post_processor": None, "decoder": None,
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
                  "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                  "vocab": vocab, "merges": []},
    }
    with open(os.path.join(path, "tokenizer.json"), "w") as f:
        json.dump(tok, f)
    with open(os.path.join(path, "tokenizer_config.json"), "w") as f:
        json.dump({"bos_token": "<bos>", "eos_token": "<eos>", "pad_token": "<pad>"}, f)


GEMMA2_2B = dict(L=26, d=2304, H=8, Hkv=4, dh=256, m=9216, V=256000, F=16384, k=64)
# The same code at toy size, to test the writer and the worker's loading of it on a machine without a GPU.
GEMMA2_SMALL = dict(L=4, d=64, H=4, Hkv=2, dh=16, m=128, V=300, F=256, k=8)


def write_gemma2_2b(out, shape):
    """Gemma-2-2B's shapes and attention settings with random weights, BF16 in 4 shards as the real
    checkpoint, and GemmaScope-sized per-layer transcoders (float32; TopK k fixes the density where
    random JumpReLU thresholds would not)."""
    started = time.time()
    L, d, H, Hkv, dh, m, V = (shape[k] for k in ("L", "d", "H", "Hkv", "dh", "m", "V"))
    model_dir = os.path.join(out, "model")
    os.makedirs(model_dir, exist_ok=True)
    config = {
        "model_type": "gemma2", "architectures": ["Gemma2ForCausalLM"], "hidden_size": d, "num_hidden_layers": L,
        "num_attention_heads": H, "num_key_value_heads": Hkv, "head_dim": dh, "intermediate_size": m,
        "vocab_size": V, "max_position_embeddings": 8192, "rms_norm_eps": 1e-6, "rope_theta": 10000.0,
        "hidden_activation": "gelu_pytorch_tanh", "query_pre_attn_scalar": 256, "attn_logit_softcapping": 50.0,
        "final_logit_softcapping": 30.0, "sliding_window": 4096, "bos_token_id": 2, "eos_token_id": 1,
        "pad_token_id": 0, "torch_dtype": "bfloat16",
    }
    with open(os.path.join(model_dir, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    write_tokenizer(model_dir, V, ["<pad>", "<eos>", "<bos>"])
    rand = Tensors(2201)
    norm = lambda: rand.randn((d,), 0.1)  # noqa: E731  (Gemma's RMSNorm scales by 1 + w)
    n_shards = 4 if L >= 4 else 1
    shards = [dict() for _ in range(n_shards)]
    shards[0]["model.embed_tokens.weight"] = rand.randn((V, d), 1 / math.sqrt(d))
    for layer in range(L):
        h = f"model.layers.{layer}"
        s = shards[min(n_shards - 1, layer * n_shards // L)]
        s[f"{h}.input_layernorm.weight"] = norm()
        s[f"{h}.self_attn.q_proj.weight"] = rand.randn((H * dh, d), 1 / math.sqrt(d))
        s[f"{h}.self_attn.k_proj.weight"] = rand.randn((Hkv * dh, d), 1 / math.sqrt(d))
        s[f"{h}.self_attn.v_proj.weight"] = rand.randn((Hkv * dh, d), 1 / math.sqrt(d))
        s[f"{h}.self_attn.o_proj.weight"] = rand.randn((d, H * dh), 1 / math.sqrt(H * dh))
        s[f"{h}.post_attention_layernorm.weight"] = norm()
        s[f"{h}.pre_feedforward_layernorm.weight"] = norm()
        s[f"{h}.post_feedforward_layernorm.weight"] = norm()
        s[f"{h}.mlp.gate_proj.weight"] = rand.randn((m, d), 1 / math.sqrt(d))
        s[f"{h}.mlp.up_proj.weight"] = rand.randn((m, d), 1 / math.sqrt(d))
        s[f"{h}.mlp.down_proj.weight"] = rand.randn((d, m), 1 / math.sqrt(m))
    shards[-1]["model.norm.weight"] = norm()
    weight_map = {}
    for i, s in enumerate(shards):
        name = f"model-{i + 1:05d}-of-{n_shards:05d}.safetensors" if n_shards > 1 else "model.safetensors"
        save_safetensors(os.path.join(model_dir, name), s, "BF16")
        weight_map.update({k: name for k in s})
    if n_shards > 1:
        with open(os.path.join(model_dir, "model.safetensors.index.json"), "w") as f:
            json.dump({"metadata": {}, "weight_map": weight_map}, f)
    print(f"wrote the Gemma-2-shaped model ({L} layers, d {d}) in {time.time() - started:.1f} s", file=sys.stderr)
    write_transcoders(os.path.join(out, "transcoders"), L, d, shape["F"], HOOKS["gemma2"], Tensors(2202),
                      activation="topk", k=shape["k"])
    print(f"wrote model + transcoders in {time.time() - started:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    cmd, args = (sys.argv[1] if len(sys.argv) > 1 else ""), sys.argv[2:]
    if cmd == "write-small" and len(args) == 1:
        write_small(args[0])
    elif cmd == "hf-logits" and len(args) == 2:
        hf_logits(args[0], args[1])
    elif cmd == "write-gemma2-2b" and len(args) in (1, 2) and args[1:] in ([], ["--small"]):
        write_gemma2_2b(args[0], GEMMA2_SMALL if args[1:] else GEMMA2_2B)
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
