"""Independent check of the exported assets: a plain-numpy GPT-2 forward written from the Hugging Face
GPT2LMHeadModel semantics (Conv1D `x @ W + b`, q/k/v split from c_attn, gelu_new, tied lm_head) reads
config.json + model.safetensors and must reproduce reference-logits.json; each transcoder layer file must
have the circuit-tracer names and shapes (reference §5.2).

usage: check_export.py MODEL_DIR TRANSCODER_DIR
"""
import json
import sys

import numpy as np

from model import load_safetensors


def layer_norm(x, w, b, eps):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


def gelu_new(x):
    return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)))


def forward(cfg, W, ids):
    T, d, nh = len(ids), cfg["n_embd"], cfg["n_head"]
    hs = d // nh
    eps = cfg["layer_norm_epsilon"]
    x = W["wte.weight"][ids] + W["wpe.weight"][:T]                                   # (T, d)
    mask = np.triu(np.ones((T, T), dtype=bool), 1)
    for l in range(cfg["n_layer"]):
        p = f"h.{l}."
        h = layer_norm(x, W[p + "ln_1.weight"], W[p + "ln_1.bias"], eps)
        qkv = h @ W[p + "attn.c_attn.weight"] + W[p + "attn.c_attn.bias"]           # (T, 3d)
        q, k, v = (qkv[:, i * d:(i + 1) * d].reshape(T, nh, hs).transpose(1, 0, 2) for i in range(3))
        att = q @ k.transpose(0, 2, 1) / np.sqrt(hs)                                  # (nh, T, T)
        att[:, mask] = -np.inf
        att = np.exp(att - att.max(-1, keepdims=True))
        att /= att.sum(-1, keepdims=True)
        y = (att @ v).transpose(1, 0, 2).reshape(T, d)
        x = x + y @ W[p + "attn.c_proj.weight"] + W[p + "attn.c_proj.bias"]
        h = layer_norm(x, W[p + "ln_2.weight"], W[p + "ln_2.bias"], eps)
        x = x + gelu_new(h @ W[p + "mlp.c_fc.weight"] + W[p + "mlp.c_fc.bias"]) @ W[p + "mlp.c_proj.weight"] + W[p + "mlp.c_proj.bias"]
    x = layer_norm(x, W["ln_f.weight"], W["ln_f.bias"], eps)
    return x @ W["wte.weight"].T                                                      # (T, V)


def main():
    model_dir, tc_dir = sys.argv[1], sys.argv[2]
    with open(f"{model_dir}/config.json") as f:
        cfg = json.load(f)
    W = {k: v.astype(np.float64) for k, v in load_safetensors(f"{model_dir}/model.safetensors").items()}
    d, L, V = cfg["n_embd"], cfg["n_layer"], cfg["vocab_size"]
    assert "lm_head.weight" not in W and W["wte.weight"].shape == (V, d)
    assert W["h.0.attn.c_attn.weight"].shape == (d, 3 * d) and W["h.0.mlp.c_fc.weight"].shape == (d, 4 * d)
    assert len(W) == 4 + 12 * L, f"{len(W)} tensors"
    with open(f"{model_dir}/reference-logits.json") as f:
        ref = json.load(f)
    worst = 0.0
    for r in ref["prompts"]:
        logits = forward(cfg, W, np.array(r["input_ids"]))[-1]
        top = np.argsort(-logits)[:5]
        assert top.tolist() == r["top5_ids"], (r["prompt"], top, r["top5_ids"])
        worst = max(worst, float(np.abs(logits[top] - np.array(r["top5_logits"])).max()))
        for i, v in r["logits_at_ids"].items():
            worst = max(worst, abs(logits[int(i)] - v))
    assert worst < 1e-3, worst
    print(f"model: numpy GPT-2 forward matches reference-logits.json (max |diff| {worst:.2e})")
    for l in range(L):
        t = load_safetensors(f"{tc_dir}/layer_{l}.safetensors")
        F = t["W_enc"].shape[0]
        shapes = {k: v.shape for k, v in t.items()}
        assert shapes == {"W_enc": (F, d), "W_dec": (F, d), "b_enc": (F,), "b_dec": (d,),
                          "activation_function.threshold": (F,)}, shapes
        assert F >= 8 * d and (t["activation_function.threshold"] >= 0).all()
    print(f"transcoders: {L} layer files with W_enc/W_dec [{F}, {d}], b_enc, b_dec, activation_function.threshold")


if __name__ == "__main__":
    main()
