"""GPT-2 in the order of the paper (nanoGPT style), saved in the exact Hugging Face GPT-2 layout.

Hugging Face GPT-2 keeps attention and MLP weights as Conv1D, i.e. `y = x @ W + b` with W [in, out]; nn.Linear
stores [out, in]. To save a checkpoint HF loads unchanged we keep Conv1D-shaped parameters here, so the saved
tensors need no transpose. Key names are those of the original `gpt2` checkpoint (no `transformer.` prefix);
`lm_head.weight` is tied to `wte.weight` and not stored, as HF's `save_pretrained` does.
"""

import json
import math
import struct
from dataclasses import asdict, dataclass

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class GPTConfig:
    vocab_size: int = 4096   # byte-level BPE; a multiple of 64, the last id is <|endoftext|>
    n_ctx: int = 128         # learned absolute positions
    n_layer: int = 4
    n_head: int = 4
    n_embd: int = 128
    layer_norm_epsilon: float = 1e-5  # HF GPT2Config default
    dropout: float = 0.0     # resid/embd/attn dropout while training; HF ignores it in eval mode


class Conv1D(nn.Module):
    """HF's Conv1D: y = x @ weight + bias, weight [n_in, n_out]."""

    def __init__(self, n_in, n_out):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(n_in, n_out).normal_(std=0.02))  # GPT-2 init, initializer_range
        self.bias = nn.Parameter(torch.zeros(n_out))

    def forward(self, x):
        return x @ self.weight + self.bias


class CausalSelfAttention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.n_head = cfg.n_head
        self.c_attn = Conv1D(cfg.n_embd, 3 * cfg.n_embd)  # q, k, v in that order
        self.c_proj = Conv1D(cfg.n_embd, cfg.n_embd)
        self.attn_dropout = nn.Dropout(cfg.dropout)
        self.resid_dropout = nn.Dropout(cfg.dropout)
        mask = torch.tril(torch.ones(cfg.n_ctx, cfg.n_ctx, dtype=torch.bool))
        self.register_buffer("mask", mask.view(1, 1, cfg.n_ctx, cfg.n_ctx), persistent=False)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)
        q = q.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)  # (B, nh, T, hs)
        k = k.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)  # (B, nh, T, hs)
        v = v.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)  # (B, nh, T, hs)
        att = (q @ k.transpose(-2, -1)) / math.sqrt(k.size(-1))         # (B, nh, T, T)
        att = att.masked_fill(~self.mask[:, :, :T, :T], float("-inf"))
        att = self.attn_dropout(F.softmax(att, dim=-1))
        y = (att @ v).transpose(1, 2).contiguous().view(B, T, C)         # (B, T, C)
        return self.resid_dropout(self.c_proj(y))


class MLP(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.c_fc = Conv1D(cfg.n_embd, 4 * cfg.n_embd)
        self.c_proj = Conv1D(4 * cfg.n_embd, cfg.n_embd)
        self.dropout = nn.Dropout(cfg.dropout)

    def forward(self, x):
        return self.dropout(self.c_proj(F.gelu(self.c_fc(x), approximate="tanh")))  # HF "gelu_new"


class Block(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.ln_1 = nn.LayerNorm(cfg.n_embd, eps=cfg.layer_norm_epsilon)
        self.attn = CausalSelfAttention(cfg)
        self.ln_2 = nn.LayerNorm(cfg.n_embd, eps=cfg.layer_norm_epsilon)
        self.mlp = MLP(cfg)

    def forward(self, x, cache=None, replace_mlp=None):
        x = x + self.attn(self.ln_1(x))
        mlp_in = self.ln_2(x)          # transcoder input: hook `mlp.hook_in`
        mlp_out = self.mlp(mlp_in)     # transcoder target: hook `mlp.hook_out`
        if cache is not None:
            cache.append((mlp_in, mlp_out))
        if replace_mlp is not None:    # e.g. splice in a transcoder: fn(mlp_in, mlp_out) -> new mlp_out
            mlp_out = replace_mlp(mlp_in, mlp_out)
        return x + mlp_out


class GPT(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.wte = nn.Embedding(cfg.vocab_size, cfg.n_embd)
        self.wpe = nn.Embedding(cfg.n_ctx, cfg.n_embd)
        self.drop = nn.Dropout(cfg.dropout)
        self.h = nn.ModuleList([Block(cfg) for _ in range(cfg.n_layer)])
        self.ln_f = nn.LayerNorm(cfg.n_embd, eps=cfg.layer_norm_epsilon)
        nn.init.normal_(self.wte.weight, std=0.02)
        nn.init.normal_(self.wpe.weight, std=0.01)
        for name, p in self.named_parameters():
            if name.endswith("c_proj.weight"):  # GPT-2 paper: residual projections scaled by 1/sqrt(N)
                nn.init.normal_(p, std=0.02 / math.sqrt(2 * cfg.n_layer))

    def forward(self, idx, cache=None, replace_mlp=None):
        """replace_mlp: optional {layer: fn(mlp_in, mlp_out) -> mlp_out} to splice transcoders in."""
        B, T = idx.shape
        assert T <= self.cfg.n_ctx, f"sequence length {T} > n_ctx {self.cfg.n_ctx}"
        x = self.drop(self.wte(idx) + self.wpe(torch.arange(T, device=idx.device)))  # (B, T, C)
        for l, block in enumerate(self.h):
            x = block(x, cache, (replace_mlp or {}).get(l))
        return self.ln_f(x) @ self.wte.weight.T                           # (B, T, V), tied lm_head

    @torch.no_grad()
    def generate(self, idx, n_new, temperature=0.0, generator=None):
        for _ in range(n_new):
            logits = self(idx[:, -self.cfg.n_ctx:])[:, -1, :]
            if temperature == 0:
                nxt = logits.argmax(-1, keepdim=True)
            else:
                nxt = torch.multinomial(F.softmax(logits / temperature, -1), 1, generator=generator)
            idx = torch.cat([idx, nxt], dim=1)
        return idx


# ---------------------------------------------------------------------------------------------------------
# safetensors (the format is an 8-byte little-endian header length, a JSON header, then the raw tensors)

DTYPES = {np.dtype("float32"): "F32", np.dtype("int64"): "I64", np.dtype("int32"): "I32"}


def save_safetensors(path, tensors, metadata=None):
    """tensors: dict name -> numpy array or torch tensor, written in sorted order, C-contiguous."""
    arrays = {k: (v.detach().cpu().numpy() if torch.is_tensor(v) else np.asarray(v)) for k, v in tensors.items()}
    header, offset = {}, 0
    for k in sorted(arrays):
        a = np.ascontiguousarray(arrays[k])
        arrays[k] = a
        header[k] = {"dtype": DTYPES[a.dtype], "shape": list(a.shape), "data_offsets": [offset, offset + a.nbytes]}
        offset += a.nbytes
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    hb = json.dumps(header, separators=(",", ":")).encode()
    hb += b" " * (-len(hb) % 8)  # pad so the data starts 8-byte aligned
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hb)))
        f.write(hb)
        for k in sorted(arrays):
            f.write(arrays[k].tobytes())


def load_safetensors(path):
    inv = {v: k for k, v in DTYPES.items()}
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for k, v in header.items():
        if k == "__metadata__":
            continue
        a, b = v["data_offsets"]
        out[k] = np.frombuffer(data[a:b], dtype=inv[v["dtype"]]).reshape(v["shape"]).copy()
    return out


def hf_config(cfg, eot_id):
    """config.json as HF GPT2Config.to_dict() writes it for this size."""
    return {
        "architectures": ["GPT2LMHeadModel"],
        "model_type": "gpt2",
        "vocab_size": cfg.vocab_size,
        "n_positions": cfg.n_ctx,
        "n_ctx": cfg.n_ctx,
        "n_embd": cfg.n_embd,
        "n_layer": cfg.n_layer,
        "n_head": cfg.n_head,
        "n_inner": None,
        "activation_function": "gelu_new",
        "resid_pdrop": cfg.dropout,
        "embd_pdrop": cfg.dropout,
        "attn_pdrop": cfg.dropout,
        "layer_norm_epsilon": cfg.layer_norm_epsilon,
        "initializer_range": 0.02,
        "scale_attn_weights": True,
        "scale_attn_by_inverse_layer_idx": False,
        "reorder_and_upcast_attn": False,
        "use_cache": True,
        "bos_token_id": eot_id,
        "eos_token_id": eot_id,
        "tie_word_embeddings": True,
        "torch_dtype": "float32",
        "transformers_version": "4.40.0",
    }


def save_hf(model, out_dir, eot_id):
    sd = {k: v for k, v in model.state_dict().items()}  # the mask buffer is not persistent
    save_safetensors(f"{out_dir}/model.safetensors", sd, metadata={"format": "pt"})
    with open(f"{out_dir}/config.json", "w") as f:
        json.dump(hf_config(model.cfg, eot_id), f, indent=2)


def load_hf(model_dir):
    with open(f"{model_dir}/config.json") as f:
        c = json.load(f)
    cfg = GPTConfig(vocab_size=c["vocab_size"], n_ctx=c["n_positions"], n_layer=c["n_layer"],
                    n_head=c["n_head"], n_embd=c["n_embd"], layer_norm_epsilon=c["layer_norm_epsilon"],
                    dropout=c.get("resid_pdrop", 0.0))
    model = GPT(cfg)
    sd = load_safetensors(f"{model_dir}/model.safetensors")
    expected = model.state_dict()
    assert set(sd) == set(expected), f"keys differ: {set(sd) ^ set(expected)}"
    for k, v in expected.items():
        assert tuple(sd[k].shape) == tuple(v.shape), f"{k}: file {sd[k].shape} vs model {tuple(v.shape)}"
    model.load_state_dict({k: torch.from_numpy(v) for k, v in sd.items()})
    return model


def config_dict(cfg):
    return asdict(cfg)
