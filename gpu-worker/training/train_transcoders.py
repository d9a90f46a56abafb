"""Step 3: per-layer transcoders (PLTs) for the demo model, saved in the circuit-tracer layout.

Each transcoder reads the MLP input (after ln_2, hook `mlp.hook_in`) and reconstructs the MLP output
(`mlp.hook_out`) of the same layer:
    pre = x @ W_enc.T + b_enc          W_enc [F, d]
    a   = pre * (pre > threshold)      JumpReLU, threshold [F]
    y^  = a @ W_dec + b_dec            W_dec [F, d]
Training, per layer:
  phase 1  ReLU transcoder, loss = ||y - y^||^2 / d + lam * sum_i a_i ||W_dec_i||  (decoder-norm-weighted L1,
           Anthropic's "April update" recipe), lam ramped up over the first 10% of steps, Adam, lr decayed to 0;
  phase 2  JumpReLU: threshold_i = t / ||W_dec_i||, i.e. drop activations whose write to the output is
           smaller than t (in normalised units). t is the largest value from a grid that costs at most
           `max_fve_drop` of explained variance; then W_dec and b_dec are refit by least squares-style Adam
           steps with the encoder frozen (removes the L1 shrinkage; L0 is unchanged).
Activations are normalised by a scalar per layer (x / s_x, y / s_y) while training; the scales are folded
back into the saved weights, so the files act on the raw hook values. Position 0 (the BOS token) is left
out of training and of every metric, since circuit-tracer zeroes transcoder activations there.

usage: train_transcoders.py WORK_DIR MODEL_DIR OUT_DIR
"""

import argparse
import json
import os
import time

import numpy as np
import torch
import torch.nn.functional as F

from bpe import ByteLevelBPE
from model import load_hf, load_safetensors, save_safetensors
from train_model import eval_windows

SETTINGS = dict(
    expansion=8,            # F = 8 * d_model
    n_train_windows=4000,   # ~0.5M training tokens (positions >= 1) per layer, from the train split
    batch_size=1024,
    steps=3000,
    lr=1e-3,
    l1_coeff=None,          # per-layer lambda; None -> the value in L1_COEFF below
    l1_warmup_frac=0.1,
    decoder_init_norm=0.1,
    threshold_grid=[0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4],
    max_fve_drop=0.01,
    finetune_steps=1000,
    seed=0,
)
L1_COEFF = 0.01  # see README: 0.03 gave L0 5-8 on the final model (too sparse), 0.01 gives tens


def collect(model, windows, layers, batch=64):
    """-> {layer: (x, y)}: MLP inputs/outputs at positions >= 1, float32 [N, d]."""
    xs = {l: [] for l in layers}
    ys = {l: [] for l in layers}
    with torch.no_grad():
        for i in range(0, len(windows), batch):
            cache = []
            model(windows[i:i + batch, :-1], cache=cache)
            for l in layers:
                x, y = cache[l]
                xs[l].append(x[:, 1:].reshape(-1, x.size(-1)))
                ys[l].append(y[:, 1:].reshape(-1, y.size(-1)))
    return {l: (torch.cat(xs[l]), torch.cat(ys[l])) for l in layers}


class Transcoder(torch.nn.Module):
    def __init__(self, d, n_features, init_norm, gen):
        super().__init__()
        w = torch.randn(n_features, d, generator=gen)
        w = w / w.norm(dim=1, keepdim=True) * init_norm
        self.W_dec = torch.nn.Parameter(w.clone())                 # [F, d]
        self.W_enc = torch.nn.Parameter(w.clone())                 # [F, d], tied init (W_enc = W_dec)
        self.b_enc = torch.nn.Parameter(torch.zeros(n_features))   # [F]
        self.b_dec = torch.nn.Parameter(torch.zeros(d))            # [d]
        self.register_buffer("threshold", torch.zeros(n_features))  # 0 -> ReLU

    def encode(self, x):
        pre = x @ self.W_enc.T + self.b_enc                        # (N, F)
        return pre * (pre > self.threshold)

    def forward(self, x):
        a = self.encode(x)
        return a, a @ self.W_dec + self.b_dec                      # (N, F), (N, d)


@torch.no_grad()
def metrics(tc, x, y, batch=8192):
    """FVE = 1 - sum ||y - y^||^2 / sum ||y - mean y||^2 ; L0 = mean number of active features per token."""
    err, l0, fired = 0.0, 0.0, torch.zeros(tc.W_enc.shape[0])
    for i in range(0, len(x), batch):
        a, yh = tc(x[i:i + batch])
        err += (y[i:i + batch] - yh).pow(2).sum().item()
        l0 += (a != 0).sum().item()
        fired += (a != 0).sum(0)
    var = (y - y.mean(0)).pow(2).sum().item()
    return {"fve": 1 - err / var, "l0": l0 / len(x), "dead_frac": (fired == 0).float().mean().item()}


def train_layer(x, y, s, lam, gen, log):
    d = x.shape[1]
    tc = Transcoder(d, s["expansion"] * d, s["decoder_init_norm"], gen)
    with torch.no_grad():
        tc.b_dec.copy_(y.mean(0))
    opt = torch.optim.Adam(tc.parameters(), lr=s["lr"], betas=(0.9, 0.999))
    n = len(x)
    for step in range(s["steps"]):
        frac = step / s["steps"]
        for g in opt.param_groups:  # constant, then linear decay to 0 over the last 20%
            g["lr"] = s["lr"] * min(1.0, (1 - frac) / 0.2)
        idx = torch.randint(0, n, (s["batch_size"],), generator=gen)
        xb, yb = x[idx], y[idx]
        a, yh = tc(xb)
        mse = (yb - yh).pow(2).sum(-1).mean() / d
        l1 = (a * tc.W_dec.norm(dim=1)).sum(-1).mean()
        loss = mse + lam * min(1.0, frac / s["l1_warmup_frac"]) * l1
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if step % 1000 == 0 or step == s["steps"] - 1:
            log(f"  step {step} mse {mse.item():.4f} l1 {l1.item():.3f} l0 {(a > 0).float().sum(-1).mean().item():.1f}")
    return tc


def finetune_decoder(tc, x, y, s, gen):
    """Encoder (and so L0) frozen; W_dec, b_dec refit on MSE only."""
    opt = torch.optim.Adam([tc.W_dec, tc.b_dec], lr=s["lr"] * 0.3)
    for step in range(s["finetune_steps"]):
        for g in opt.param_groups:
            g["lr"] = s["lr"] * 0.3 * (1 - step / s["finetune_steps"])
        idx = torch.randint(0, len(x), (s["batch_size"],), generator=gen)
        with torch.no_grad():
            a = tc.encode(x[idx])
        loss = (y[idx] - (a @ tc.W_dec + tc.b_dec)).pow(2).sum(-1).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()


@torch.no_grad()
def spliced_loss(model, windows, layer_fns, batch=32):
    """Next-token loss on windows (targets at positions >= 1 only) with MLPs replaced via layer_fns."""
    tot, n = 0.0, 0
    for i in range(0, len(windows), batch):
        w = windows[i:i + batch]
        logits = model(w[:, :-1], replace_mlp=layer_fns)
        tot += F.cross_entropy(logits[:, 1:].reshape(-1, logits.size(-1)), w[:, 2:].reshape(-1), reduction="sum").item()
        n += w[:, 2:].numel()
    return tot / n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("work_dir")
    ap.add_argument("model_dir")
    ap.add_argument("out_dir")
    ap.add_argument("--layers", type=str, default=None, help="comma list; default all")
    ap.add_argument("--l1", type=float, default=None)
    ap.add_argument("--steps", type=int, default=None)
    ap.add_argument("--n-train-windows", type=int, default=None)
    args = ap.parse_args()
    s = dict(SETTINGS)
    if args.steps:
        s["steps"] = args.steps
    if args.n_train_windows:
        s["n_train_windows"] = args.n_train_windows
    lam = args.l1 if args.l1 is not None else (s["l1_coeff"] or L1_COEFF)
    torch.set_num_threads(1)  # shared 2-core machine
    os.makedirs(args.out_dir, exist_ok=True)
    t_all = time.time()

    def log(msg):
        print(msg, flush=True)

    tok = ByteLevelBPE.load(f"{args.model_dir}/tokenizer.json")
    model = load_hf(args.model_dir).eval()
    for p in model.parameters():
        p.requires_grad_(False)
    n_ctx = model.cfg.n_ctx
    train_w = eval_windows(np.load(f"{args.work_dir}/train_ids.npy"), n_ctx, tok.eot_id)
    perm = torch.randperm(len(train_w), generator=torch.Generator().manual_seed(s["seed"]))
    train_w = train_w[perm[: s["n_train_windows"]]]
    val_w = eval_windows(np.load(f"{args.work_dir}/val_ids.npy"), n_ctx, tok.eot_id)
    layers = [int(v) for v in args.layers.split(",")] if args.layers else list(range(model.cfg.n_layer))
    t0 = time.time()
    train_acts, val_acts = collect(model, train_w, layers), collect(model, val_w, layers)
    n_train, n_val = len(train_acts[layers[0]][0]), len(val_acts[layers[0]][0])
    log(f"collected {n_train} train / {n_val} val tokens per layer in {time.time() - t0:.0f}s")
    results = {}
    for l in layers:
        t0 = time.time()
        gen = torch.Generator().manual_seed(s["seed"] + l)
        x, y = train_acts[l]
        vx, vy = val_acts[l]
        s_x = x.pow(2).sum(-1).mean().sqrt().item() / np.sqrt(x.shape[1])              # rms per dim
        s_y = (y - y.mean(0)).pow(2).sum(-1).mean().sqrt().item() / np.sqrt(y.shape[1])  # centred rms per dim
        xn, yn, vxn, vyn = x / s_x, y / s_y, vx / s_x, vy / s_y
        log(f"layer {l}: s_x {s_x:.4f} s_y {s_y:.4f} lambda {lam}")
        tc = train_layer(xn, yn, s, lam, gen, log)
        relu = metrics(tc, vxn, vyn)
        log(f"  relu val {relu}")
        # phase 2: JumpReLU thresholds
        dec_norm = tc.W_dec.detach().norm(dim=1)
        chosen, sweep = 0.0, []
        for t in s["threshold_grid"]:
            tc.threshold = t / dec_norm.clamp_min(1e-8)
            m = metrics(tc, xn[:100000], yn[:100000])
            sweep.append({"t": t, **m})
            if m["fve"] >= sweep[0]["fve"] - s["max_fve_drop"]:
                chosen = t
        tc.threshold = chosen / dec_norm.clamp_min(1e-8)
        finetune_decoder(tc, xn, yn, s, gen)
        final = metrics(tc, vxn, vyn)
        log(f"  threshold t={chosen}: val {final}")

        # fold the normalisation into the weights: pre = (x/s_x) W_enc^T + b_enc ; y = s_y (a W_dec + b_dec)
        tensors = {
            "W_enc": (tc.W_enc.detach() / s_x).contiguous(),
            "b_enc": tc.b_enc.detach().clone(),
            "W_dec": (tc.W_dec.detach() * s_y).contiguous(),
            "b_dec": (tc.b_dec.detach() * s_y).contiguous(),
            "activation_function.threshold": tc.threshold.detach().clone(),
        }
        save_safetensors(f"{args.out_dir}/layer_{l}.safetensors", tensors, metadata={"format": "pt"})
        # check the saved file on raw activations
        raw = Transcoder(x.shape[1], tc.W_enc.shape[0], 1.0, gen)
        raw.load_state_dict({"W_enc": tensors["W_enc"], "b_enc": tensors["b_enc"], "W_dec": tensors["W_dec"],
                             "b_dec": tensors["b_dec"], "threshold": tensors["activation_function.threshold"]})
        raw_m = metrics(raw, vx, vy)
        assert abs(raw_m["fve"] - final["fve"]) < 1e-3, (raw_m, final)
        results[l] = {"relu_phase": relu, "threshold_sweep": sweep, "chosen_t": chosen, "val": raw_m,
                      "seconds": round(time.time() - t0), "scales": {"s_x": s_x, "s_y": s_y}}
        log(f"  layer {l} done in {time.time() - t0:.0f}s")
        with open(f"{args.work_dir}/transcoders_report_partial.json", "w") as f:
            json.dump(results, f, indent=1)

    # spliced next-token loss on validation: clean, each layer's transcoder alone, all at once, MLP zeroed
    loaded = {}
    for l in layers:
        t = {k: torch.from_numpy(v) for k, v in load_safetensors(f"{args.out_dir}/layer_{l}.safetensors").items()}
        loaded[l] = t

    def splice(t):  # position 0 keeps the true MLP output (circuit-tracer zeroes features there)
        def fn(x, y):
            pre = x[:, 1:] @ t["W_enc"].T + t["b_enc"]
            a = pre * (pre > t["activation_function.threshold"])
            return torch.cat([y[:, :1], a @ t["W_dec"] + t["b_dec"]], dim=1)
        return fn

    def zero(x, y):
        return torch.cat([y[:, :1], torch.zeros_like(y[:, 1:])], dim=1)

    losses = {"clean": spliced_loss(model, val_w, {})}
    for l in layers:
        losses[f"layer_{l}"] = spliced_loss(model, val_w, {l: splice(loaded[l])})
        losses[f"layer_{l}_mlp_zeroed"] = spliced_loss(model, val_w, {l: zero})
    losses["all_layers"] = spliced_loss(model, val_w, {l: splice(loaded[l]) for l in layers})
    log(f"spliced val losses {losses}")

    n_layer = model.cfg.n_layer
    with open(f"{args.out_dir}/config.yaml", "w") as f:
        f.write(
            "# circuit-tracer per-layer transcoder set for circuitboard-demo-gpt2 (see gpu-worker/assets/README.md)\n"
            "# JumpReLU (threshold tensor present); no skip connection. Files: layer_{i}.safetensors, i = 0..%d\n"
            "model_name: circuitboard-demo-gpt2\n"
            "model_kind: transcoder_set\n"
            "feature_input_hook: mlp.hook_in\n"
            "feature_output_hook: mlp.hook_out\n" % (n_layer - 1)
        )
    report = {"settings": s, "l1_coeff": lam, "layers": results, "spliced_val_loss": losses,
              "train_tokens_per_layer": n_train, "val_tokens_per_layer": n_val,
              "seconds": round(time.time() - t_all)}
    with open(f"{args.work_dir}/transcoders_report.json", "w") as f:
        json.dump(report, f, indent=1)
    log(f"train_transcoders done in {time.time() - t_all:.0f}s")


if __name__ == "__main__":
    main()
