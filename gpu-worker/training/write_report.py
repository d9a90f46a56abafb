"""Step 6: gather the numbers of a training run into gpu-worker/assets/training-report.json.

usage: write_report.py WORK_DIR OUT_JSON
"""
import json
import os
import sys


def read(path, default=None):
    if not os.path.exists(path):
        return default
    with open(path) as f:
        return json.load(f)


def main():
    work, out = sys.argv[1], sys.argv[2]
    model = read(f"{work}/model_report.json", {})
    tcs = read(f"{work}/transcoders_report.json", {})
    timings = []
    if os.path.exists(f"{work}/timings.jsonl"):
        with open(f"{work}/timings.jsonl") as f:
            timings = [json.loads(line) for line in f if line.strip()]
    report = {
        "data": read(f"{work}/data_stats.json"),
        "model": {k: model.get(k) for k in ["settings", "params", "best_step", "best_train_loss", "best_val_loss",
                                            "train_seconds", "history", "samples"]},
        "transcoders": {
            "settings": tcs.get("settings"),
            "l1_coeff": tcs.get("l1_coeff"),
            "train_tokens_per_layer": tcs.get("train_tokens_per_layer"),
            "val_tokens_per_layer": tcs.get("val_tokens_per_layer"),
            "per_layer": {l: {"fve": r["val"]["fve"], "l0": r["val"]["l0"], "dead_frac": r["val"]["dead_frac"],
                              "relu_phase": r["relu_phase"], "chosen_t": r["chosen_t"], "seconds": r["seconds"]}
                          for l, r in (tcs.get("layers") or {}).items()},
            "spliced_val_loss": tcs.get("spliced_val_loss"),
            "seconds": tcs.get("seconds"),
        },
        "timings": timings,
    }
    with open(out, "w") as f:
        json.dump(report, f, indent=1)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
