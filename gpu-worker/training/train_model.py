"""Step 2: train the demo GPT-2 on the KJV token streams written by prepare_data.py.

Every training window is <|endoftext|> followed by n_ctx-1 tokens starting at a verse start, so position 0
always holds the BOS token, as in a circuit-tracer prompt. Checkpoints go to WORK_DIR/ckpt.pt every
--ckpt-every steps (rerun the same command to resume); the checkpoint with the best validation loss is kept
in WORK_DIR/best.pt and exported at the end in the Hugging Face layout, with reference logits and samples.

usage: train_model.py WORK_DIR MODEL_DIR
"""

import argparse
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn.functional as F

from bpe import ByteLevelBPE
from model import GPT, GPTConfig, load_hf, save_hf

# ---- settings (defaults are what made the committed model) ----
# model: 4 layers, d_model 192, 4 heads, n_ctx 128, vocab 4096 (2.6M parameters, 10 MB in fp32)
# data: ~0.93M train tokens, so ~6.6 epochs; dropout 0.1 and weight decay 0.1 hold overfitting back
SETTINGS = dict(
    n_layer=4, n_head=4, n_embd=192, n_ctx=128, dropout=0.1,
    batch_size=16, max_steps=3000, warmup_steps=200, lr=1e-3, min_lr=1e-4, weight_decay=0.1,
    grad_clip=1.0, eval_every=250, ckpt_every=250, seed=1234,
)
PROMPTS = [  # fixed prompts for reference logits and samples (prefixed with <|endoftext|>)
    "In the beginning God created the",
    "And the LORD spake unto Moses, saying,",
    "Jesus answered and said unto them,",
    "The LORD is my shepherd; I shall not",
    "And it came to pass, when the king",
]


def batches(ids, starts, batch_size, n_ctx, eot, rng):
    """Random windows: [eot] + ids[s : s + n_ctx - 1] for verse starts s; inputs and next-token targets."""
    s = rng.choice(starts[starts + n_ctx <= len(ids)], size=batch_size)
    win = np.stack([np.concatenate([[eot], ids[i:i + n_ctx]]) for i in s]).astype(np.int64)  # (B, n_ctx + 1)
    win = torch.from_numpy(win)
    return win[:, :-1], win[:, 1:]


def eval_windows(ids, n_ctx, eot):
    """Deterministic, non-overlapping validation windows of n_ctx tokens: [eot] + the next n_ctx-1 tokens."""
    step = n_ctx - 1
    rows = []
    for i in range(0, len(ids) - step - 1, step):
        rows.append(np.concatenate([[eot], ids[i:i + step + 1]]))
    return torch.from_numpy(np.stack(rows).astype(np.int64))


@torch.no_grad()
def evaluate(model, windows, batch_size=32):
    model.eval()
    tot, n = 0.0, 0
    for i in range(0, len(windows), batch_size):
        w = windows[i:i + batch_size]
        logits = model(w[:, :-1])
        tot += F.cross_entropy(logits.reshape(-1, logits.size(-1)), w[:, 1:].reshape(-1), reduction="sum").item()
        n += w[:, 1:].numel()
    model.train()
    return tot / n


def lr_at(step, s):
    if step < s["warmup_steps"]:
        return s["lr"] * (step + 1) / s["warmup_steps"]
    t = min(1.0, (step - s["warmup_steps"]) / max(1, s["max_steps"] - s["warmup_steps"]))
    return s["min_lr"] + 0.5 * (s["lr"] - s["min_lr"]) * (1 + math.cos(math.pi * t))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("work_dir")
    ap.add_argument("model_dir")
    ap.add_argument("--max-steps", type=int, default=SETTINGS["max_steps"])
    args = ap.parse_args()
    s = dict(SETTINGS, max_steps=args.max_steps)
    torch.set_num_threads(1)  # shared 2-core machine
    torch.manual_seed(s["seed"])
    rng = np.random.default_rng(s["seed"])
    tok = ByteLevelBPE.load(f"{args.model_dir}/tokenizer.json")
    W = args.work_dir
    train_ids, train_starts = np.load(f"{W}/train_ids.npy"), np.load(f"{W}/train_line_starts.npy")
    val_w = eval_windows(np.load(f"{W}/val_ids.npy"), s["n_ctx"], tok.eot_id)
    train_eval_w = eval_windows(train_ids[: len(np.load(f"{W}/val_ids.npy"))], s["n_ctx"], tok.eot_id)

    cfg = GPTConfig(vocab_size=len(tok.vocab), n_ctx=s["n_ctx"], n_layer=s["n_layer"], n_head=s["n_head"],
                    n_embd=s["n_embd"], dropout=s["dropout"])
    model = GPT(cfg)
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": s["weight_decay"]},
                             {"params": no_decay, "weight_decay": 0.0}], lr=s["lr"], betas=(0.9, 0.95))
    step, history, best, elapsed = 0, [], float("inf"), 0.0
    if os.path.exists(f"{W}/ckpt.pt"):
        ck = torch.load(f"{W}/ckpt.pt")
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        step, history, best, elapsed = ck["step"], ck["history"], ck["best"], ck["elapsed"]
        rng = np.random.default_rng(s["seed"] + step)
        torch.manual_seed(s["seed"] + step)
        print(f"resumed at step {step}", flush=True)
    print(f"params {sum(p.numel() for p in model.parameters())} settings {s}", flush=True)

    t0 = time.time() - elapsed
    model.train()
    while step < s["max_steps"]:
        x, y = batches(train_ids, train_starts, s["batch_size"], s["n_ctx"], tok.eot_id, rng)
        for g in opt.param_groups:
            g["lr"] = lr_at(step, s)
        logits = model(x)
        loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), s["grad_clip"])
        opt.step()
        step += 1
        if step % 50 == 0:
            print(f"step {step} loss {loss.item():.4f} lr {lr_at(step, s):.2e} {time.time() - t0:.0f}s", flush=True)
        if step % s["eval_every"] == 0 or step == s["max_steps"]:
            vl, tl = evaluate(model, val_w), evaluate(model, train_eval_w)
            history.append({"step": step, "train_loss": tl, "val_loss": vl, "batch_loss": loss.item(),
                            "seconds": round(time.time() - t0)})
            print(f"EVAL step {step} train {tl:.4f} val {vl:.4f}", flush=True)
            if vl < best:
                best = vl
                torch.save({"model": model.state_dict(), "step": step, "val_loss": vl, "train_loss": tl}, f"{W}/best.pt")
        if step % s["ckpt_every"] == 0 or step == s["max_steps"]:
            torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "step": step, "history": history,
                        "best": best, "elapsed": time.time() - t0}, f"{W}/ckpt.pt.tmp")
            os.replace(f"{W}/ckpt.pt.tmp", f"{W}/ckpt.pt")

    # ---- export the best checkpoint in the HF layout, then check the export round-trips ----
    ck = torch.load(f"{W}/best.pt")
    model.load_state_dict(ck["model"])
    model.eval()
    save_hf(model, args.model_dir, tok.eot_id)
    reloaded = load_hf(args.model_dir).eval()
    report = {"settings": s, "history": history, "best_step": ck["step"], "best_val_loss": ck["val_loss"],
              "best_train_loss": ck["train_loss"], "train_seconds": round(time.time() - t0),
              "params": sum(p.numel() for p in model.parameters())}

    refs, samples = [], []
    g = torch.Generator().manual_seed(0)
    for p in PROMPTS:
        ids = [tok.eot_id] + tok.encode(p)
        x = torch.tensor([ids])
        with torch.no_grad():
            logits = reloaded(x)[0, -1].double()  # float32 forward; values stored from fp32
            assert torch.allclose(logits.float(), model(x)[0, -1]), "export round trip changed the logits"
        top = torch.topk(logits, 5)
        refs.append({"prompt": p, "input_ids": ids, "position": len(ids) - 1,
                     "top5_ids": top.indices.tolist(), "top5_tokens": [tok.decode([i]) for i in top.indices.tolist()],
                     "top5_logits": [float(v) for v in top.values],
                     "logits_at_ids": {str(i): float(logits[i]) for i in [0, 1, 100, 1000, tok.eot_id]},
                     "logsumexp": float(torch.logsumexp(logits, 0))})
        greedy = model.generate(x, 24)[0, len(ids):].tolist()
        sampled = model.generate(x, 24, temperature=0.8, generator=g)[0, len(ids):].tolist()
        samples.append({"prompt": p, "greedy": tok.decode(greedy), "sampled_t0.8": tok.decode(sampled)})
        print(json.dumps(samples[-1]), flush=True)
    with open(f"{args.model_dir}/reference-logits.json", "w") as f:
        json.dump({"description": "float32 logits at the last position, computed at training time from the exported "
                   "model.safetensors; input_ids start with <|endoftext|> (id %d) as BOS" % tok.eot_id,
                   "tolerance_hint": 1e-3, "prompts": refs}, f, indent=1)
    report["samples"] = samples
    with open(f"{W}/model_report.json", "w") as f:
        json.dump(report, f, indent=1)
    print(f"train_model done: best val {ck['val_loss']:.4f} at step {ck['step']} ({report['train_seconds']}s)", flush=True)


if __name__ == "__main__":
    main()
