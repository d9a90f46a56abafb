#!/usr/bin/env bash
# Reproduces the demo model and its transcoders under gpu-worker/assets/ from scratch, offline:
#   1. installs Debian's python3-torch, python3-numpy, libopenblas0-serial (BLAS for torch; the default
#      reference BLAS is ~10x slower) and bible-kjv + bible-kjv-text (the corpus), if missing;
#   2. extracts the KJV text, splits it, trains the byte-level BPE tokenizer      (prepare_data.py, ~10 s);
#      the held-out split is copied to gpu-worker/assets/kjv-heldout.jsonl for feature dashboards
#   3. trains the 4-layer GPT-2                                                  (train_model.py, ~30-45 min)
#   4. trains one JumpReLU transcoder per layer                                   (train_transcoders.py, ~25 min)
#   5. checks tokenizer.json with the JS reader against the Python encoder       (verify-tokenizer.mjs)
#   6. re-checks the exported files with an independent numpy GPT-2 forward   (check_export.py)
#   7. writes gpu-worker/assets/training-report.json
# Runs single-threaded under `nice` (shared machine). Intermediate files, checkpoints and logs live in
# $DEMO_WORK_DIR (default /tmp/circuitboard-demo-work); rerunning resumes model training from its last
# checkpoint. Pass --fresh to start over.
#
# usage: bash gpu-worker/training/train-demo.sh [--fresh]
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
WORK="${DEMO_WORK_DIR:-/tmp/circuitboard-demo-work}"
MODEL="$ROOT/gpu-worker/assets/circuitboard-demo-gpt2"
TRANSCODERS="$ROOT/gpu-worker/assets/circuitboard-demo-gpt2-transcoders"
PY=/usr/bin/python3   # Debian's python, where python3-torch lives (not a pyenv/venv python)

if [[ "${1:-}" == "--fresh" ]]; then rm -rf "$WORK"; fi
mkdir -p "$WORK" "$MODEL" "$TRANSCODERS"

need=()
for pkg in python3-torch python3-numpy libopenblas0-serial bible-kjv bible-kjv-text; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if ((${#need[@]})); then
  echo "installing Debian packages: ${need[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${need[@]}"
fi

export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 PYTHONUNBUFFERED=1
run() {  # run STEP_NAME CMD...: nice'd, logged to $WORK/STEP_NAME.log, timed
  local name="$1"; shift
  local t0=$SECONDS
  echo "== $name: $*"
  (cd "$HERE" && nice -n 10 "$@") 2>&1 | tee "$WORK/$name.log"
  echo "{\"step\": \"$name\", \"seconds\": $((SECONDS - t0))}" >> "$WORK/timings.jsonl"
  echo "== $name done in $((SECONDS - t0)) s"
}

run prepare_data "$PY" prepare_data.py "$WORK" "$MODEL"
cp "$WORK/heldout.jsonl" "$ROOT/gpu-worker/assets/kjv-heldout.jsonl"  # for feature dashboards
run train_model "$PY" train_model.py "$WORK" "$MODEL"
run train_transcoders "$PY" train_transcoders.py "$WORK" "$MODEL" "$TRANSCODERS"
run dump_tokenizer_cases "$PY" dump_tokenizer_cases.py "$WORK" "$MODEL" "$WORK/tokenizer-cases.json"
(cd "$ROOT" && node gpu-worker/training/verify-tokenizer.mjs "$MODEL" "$WORK/tokenizer-cases.json") | tee "$WORK/verify_tokenizer.log"
(cd "$HERE" && "$PY" check_export.py "$MODEL" "$TRANSCODERS") | tee "$WORK/check_export.log"
"$PY" "$HERE/write_report.py" "$WORK" "$ROOT/gpu-worker/assets/training-report.json"
du -ab "$MODEL" "$TRANSCODERS" "$ROOT/gpu-worker/assets/kjv-heldout.jsonl"
