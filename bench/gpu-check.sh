#!/usr/bin/env bash
# The one-shot GPU check (issue 17), for a bare GPU machine with no network and no Node.js, where python3 has
# torch, transformers and safetensors. Everything else travels with the checkout in .gpu-bundle/ (made here
# beforehand by `npm run gpu:bundle`, bench/gpu-check/prepare-bundle.sh). Staged, within an internal deadline,
# each stage's results written to RESULTS as it goes:
#
#   0 preflight  unpack Node.js, the app and onnxruntime-node; the Vulkan loader if the machine has none; which
#                GPU provider starts (WebGPU over Vulkan, or CUDA when its library is installed), and why not;
#                the worker's attribute command on the demo model on the CPU (the bundle works at all)
#   a devices    forward + adjoint on the GPU provider vs the CPU: the demo model and random Llama and Gemma-2
#                checkpoints, every forward cache and the attribution rows within 1e-4 (relative in norm)
#   b hf         the worker's logits on random GPT-2, Llama and Gemma-2 checkpoints, written by transformers'
#                save_pretrained, vs transformers' own forward (float64, CPU, eager) on the same files, within
#                1e-4: on the CPU provider, the float64 reference engine and the GPU provider when there is one
#   c gemma2-2b  a Gemma-2-2B-shaped random checkpoint written there by torch (too large to carry), the worker's
#                attribute command at 7,500 features and 16 tokens on the GPU, timed by phase
#
# Where a stage's requirement is missing (no GPU provider, no torch/transformers) it is skipped with the reason,
# in its result file. Results (at most 8 files, for the device tool's $OUT): summary.txt, check.log,
# preflight.json, a-devices.json, b-hf.json, c-gemma2-2b.json, c-gemma2-2b.log.
#
#   usage: bash bench/gpu-check.sh [RESULTS_DIR]     (default: $OUT if set, else bench/out/gpu-check)
#   env:   GPU_CHECK_DEADLINE_S (default 600: every stage ends by then), GPU_CHECK_WORK (scratch folder,
#          default /tmp/circuitboard-gpu-check), GPU_BUNDLE (default .gpu-bundle), PYTHON (default python3)
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUNDLE=${GPU_BUNDLE:-$ROOT/.gpu-bundle}
RESULTS=${1:-${OUT:-$ROOT/bench/out/gpu-check}}
WORK=${GPU_CHECK_WORK:-/tmp/circuitboard-gpu-check}
PYTHON=${PYTHON:-python3}
DEADLINE_S=${GPU_CHECK_DEADLINE_S:-600}
STARTED=$(date +%s)
mkdir -p "$RESULTS" "$WORK"
exec > >(tee -a "$RESULTS/check.log") 2>&1
SUMMARY="$RESULTS/summary.txt"
: >"$SUMMARY"

elapsed() { echo $(($(date +%s) - STARTED)); }
left() { echo $((DEADLINE_S - $(elapsed))); }
say() { echo "[gpu-check $(printf '%4s' "$(elapsed)")s] $*"; }
note() { say "$*"; echo "$*" >>"$SUMMARY"; }
# skip FILE STAGE REASON: the stage's result file says it was skipped, and why.
skip() {
  note "($2) skipped: $3"
  "$NODE" -e 'require("fs").writeFileSync(process.argv[1], JSON.stringify({stage: process.argv[2], skipped: process.argv[3]}, null, 2))' \
    "$RESULTS/$1" "$2" "$3" 2>/dev/null ||
    printf '{"stage": "%s", "skipped": "%s"}\n' "$2" "$(echo "$3" | tr -d '"\\')" >"$RESULTS/$1"
}
# within SECONDS_WANTED CMD…: runs CMD under the time left (at most SECONDS_WANTED), 124 when it ran out.
within() {
  local want=$1 l
  shift
  l=$(left)
  [ "$l" -gt 5 ] || return 124
  [ "$want" -lt "$l" ] || want=$l
  timeout --kill-after=10 "$want" "$@"
}
json() { "$NODE" -e 'const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); const v = process.argv[2].split(".").reduce((o, k) => (o == null ? o : o[k]), j); process.stdout.write(v == null ? "" : typeof v === "object" ? JSON.stringify(v) : String(v))' "$1" "$2"; }

note "Circuitboard GPU check, $(date -u +%FT%TZ), $(uname -srm), deadline ${DEADLINE_S}s"
note "git: $(git -C "$ROOT" log -1 --format='%h %s' 2>/dev/null || echo 'not a git checkout')"
if command -v nvidia-smi >/dev/null; then
  note "nvidia-smi: $(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 | head -2 | tr '\n' ' ')"
else
  note "nvidia-smi: not found"
fi

# ── 0. preflight ────────────────────────────────────────────────────────────────────────────────────────────
NODE=node # for skip() before the bundle is unpacked
if [ ! -f "$BUNDLE/node.xz" ] || [ ! -f "$BUNDLE/app.tar.xz" ]; then
  note "no bundle in $BUNDLE: run 'npm run gpu:bundle' on a machine with npm first"
  for s in "a-devices.json a" "b-hf.json b" "c-gemma2-2b.json c"; do skip "${s% *}" "${s#* }" "no bundle"; done
  exit 1
fi
unxz_to() { # unxz_to FILE.xz OUT: with xz where there is one, else Python's lzma
  if command -v xz >/dev/null; then xz -dc "$1" >"$2"; else "$PYTHON" -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$1" "$2"; fi
}
mkdir -p "$WORK/bin"
unxz_to "$BUNDLE/node.xz" "$WORK/bin/node" && chmod +x "$WORK/bin/node"
rm -rf "$WORK/app"
unxz_to "$BUNDLE/app.tar.xz" "$WORK/app.tar" && tar -C "$WORK" -xf "$WORK/app.tar" && rm -f "$WORK/app.tar"
NODE="$WORK/bin/node"
APP="$WORK/app"
if ! "$NODE" --version >/dev/null 2>&1; then
  note "the bundled node does not run here: $("$NODE" --version 2>&1 | head -1)"
  exit 1
fi
note "node $("$NODE" --version) from the bundle, unpacked in $(elapsed)s"

# The Vulkan loader: the machine's own, else the bundled libvulkan1 unpacked into WORK (never into /).
if ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1 '; then
  note "vulkan loader: the machine's ($(ldconfig -p | grep -m1 'libvulkan.so.1 ' | sed 's/.*=> //'))"
else
  for deb in "$BUNDLE"/vulkan/*.deb; do
    [ -f "$deb" ] || continue
    if command -v dpkg-deb >/dev/null; then dpkg-deb -x "$deb" "$WORK/vulkan"; else (mkdir -p "$WORK/vulkan" && cd "$WORK/vulkan" && ar p "$deb" data.tar.xz | tar -xJf -); fi
  done
  VK_LIB=$(dirname "$(find "$WORK/vulkan" -name 'libvulkan.so.1' 2>/dev/null | head -1)" 2>/dev/null)
  if [ -n "$VK_LIB" ] && [ -d "$VK_LIB" ]; then
    export LD_LIBRARY_PATH="$VK_LIB${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    note "vulkan loader: none on the machine; the bundled one ($VK_LIB)"
  else
    note "vulkan loader: none on the machine and none in the bundle"
  fi
fi
# NVIDIA's Vulkan driver manifest, where the loader's default search does not find one.
if ! ls /usr/share/vulkan/icd.d/*.json /etc/vulkan/icd.d/*.json >/dev/null 2>&1 && [ -z "${VK_DRIVER_FILES:-}" ]; then
  for icd in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json; do
    [ -f "$icd" ] && export VK_DRIVER_FILES="$icd" && note "vulkan driver manifest: $icd" && break
  done
fi

within 90 "$NODE" "$APP/gpu-check.mjs" preflight --out "$RESULTS/preflight.json"
GPU=$(json "$RESULTS/preflight.json" gpu 2>/dev/null)
if [ -n "$GPU" ]; then
  note "GPU provider: $GPU"
else
  note "no GPU provider starts here: webgpu: $(json "$RESULTS/preflight.json" providers.webgpu.reason 2>/dev/null); cuda: $(json "$RESULTS/preflight.json" providers.cuda.reason 2>/dev/null)"
  NO_GPU="no GPU provider starts here (preflight.json and summary.txt say why)"
fi

DEMO_MODEL="$ROOT/gpu-worker/assets/circuitboard-demo-gpt2"
DEMO_TC="$DEMO_MODEL-transcoders"
if within 120 "$NODE" "$APP/worker.mjs" attribute --model "$DEMO_MODEL" --transcoders "$DEMO_TC" --prompt "In the beginning God" \
  --out "$WORK/demo-cpu.json" --device cpu >"$WORK/demo-cpu.log" 2>&1; then
  note "demo model on the CPU through the bundle: $(grep -m1 '^wrote' "$WORK/demo-cpu.log")"
else
  note "demo model on the CPU through the bundle FAILED: $(tail -3 "$WORK/demo-cpu.log" | tr '\n' ' ')"
fi

# Python: which of torch / transformers there are.
HAVE_TORCH=0
HAVE_HF=0
"$PYTHON" -c 'import torch' >/dev/null 2>&1 && HAVE_TORCH=1
"$PYTHON" -c 'import transformers, torch' >/dev/null 2>&1 && HAVE_HF=1
note "python: $("$PYTHON" --version 2>&1); torch $([ $HAVE_TORCH = 1 ] && "$PYTHON" -c 'import torch; print(torch.__version__, "cuda", torch.cuda.is_available())' 2>/dev/null || echo 'missing'); transformers $([ $HAVE_HF = 1 ] && "$PYTHON" -c 'import transformers; print(transformers.__version__)' 2>/dev/null || echo 'missing')"

SMALL="$WORK/small"
if [ $HAVE_HF = 1 ]; then
  rm -rf "$SMALL"
  if within 180 "$PYTHON" "$ROOT/bench/gpu-check/reference.py" write-small "$SMALL" &&
    within 120 "$PYTHON" "$ROOT/bench/gpu-check/reference.py" hf-logits "$SMALL" "$WORK/hf-logits.json"; then
    note "random GPT-2 / Llama / Gemma-2 checkpoints written by transformers, and its logits, in $(elapsed)s"
  else
    note "writing the random checkpoints or transformers' logits FAILED (see check.log)"
    rm -f "$WORK/hf-logits.json"
  fi
fi

# ── a. GPU provider vs CPU ──────────────────────────────────────────────────────────────────────────────────
if [ -z "$GPU" ]; then
  skip a-devices.json a "$NO_GPU"
else
  CASES=("demo=$DEMO_MODEL,$DEMO_TC")
  for arch in llama gemma2; do [ -d "$SMALL/$arch/model" ] && CASES+=("$arch=$SMALL/$arch/model,$SMALL/$arch/transcoders"); done
  [ ${#CASES[@]} -gt 1 ] || note "(a) random Llama / Gemma-2 checkpoints from transformers missing (no torch/transformers)"
  # The stage (c) writer at toy size (BF16 shards, TopK transcoders): needs only torch or numpy.
  rm -rf "$WORK/gemma2-toy"
  within 60 "$PYTHON" "$ROOT/bench/gpu-check/reference.py" write-gemma2-2b "$WORK/gemma2-toy" --small >/dev/null 2>&1 &&
    CASES+=("gemma2-toy=$WORK/gemma2-toy/model,$WORK/gemma2-toy/transcoders")
  within 180 "$NODE" "$APP/gpu-check.mjs" devices --device "$GPU" --out "$RESULTS/a-devices.json" "${CASES[@]}"
  rc=$?
  [ -f "$RESULTS/a-devices.json" ] || skip a-devices.json a "the stage ended without a result (exit $rc; 124: deadline)"
  note "(a) exit $rc: ok=$(json "$RESULTS/a-devices.json" ok)"
fi

# ── b. the worker vs transformers ───────────────────────────────────────────────────────────────────────────
if [ $HAVE_HF = 0 ]; then
  skip b-hf.json b "python3 here lacks torch or transformers"
elif [ ! -f "$WORK/hf-logits.json" ]; then
  skip b-hf.json b "transformers' logits could not be computed (see check.log)"
else
  within 150 "$NODE" "$APP/gpu-check.mjs" hf --reference "$WORK/hf-logits.json" --models "$SMALL" \
    --devices "cpu${GPU:+,$GPU}" --out "$RESULTS/b-hf.json"
  rc=$?
  [ -f "$RESULTS/b-hf.json" ] || skip b-hf.json b "the stage ended without a result (exit $rc; 124: deadline)"
  note "(b) exit $rc: ok=$(json "$RESULTS/b-hf.json" ok)"
fi

# ── c. Gemma-2-2B-shaped graph on the GPU ───────────────────────────────────────────────────────────────────
G2B="$WORK/gemma2-2b"
if [ -z "$GPU" ]; then
  skip c-gemma2-2b.json c "$NO_GPU"
elif [ $HAVE_TORCH = 0 ] && ! "$PYTHON" -c 'import numpy' >/dev/null 2>&1; then
  skip c-gemma2-2b.json c "python3 here has neither torch nor numpy to write the checkpoint"
elif [ "$(left)" -lt 120 ]; then
  skip c-gemma2-2b.json c "less than 120 s left before the deadline"
else
  if [ ! -f "$G2B/done" ]; then
    rm -rf "$G2B"
    within 240 "$PYTHON" "$ROOT/bench/gpu-check/reference.py" write-gemma2-2b "$G2B" && touch "$G2B/done"
  fi
  if [ -f "$G2B/done" ]; then
    note "(c) checkpoint ready at $(elapsed)s ($(du -sh "$G2B" | cut -f1)); $(left)s left"
    within 100000 "$NODE" "$APP/gpu-check.mjs" timed --out "$RESULTS/c-gemma2-2b.json" --log "$RESULTS/c-gemma2-2b.log" -- \
      "$NODE" "$APP/worker.mjs" attribute --model "$G2B/model" --transcoders "$G2B/transcoders" \
      --prompt "a b c d e f g h i j k l m n o" --max-feature-nodes 7500 --batch-size 256 --device "$GPU" \
      --out "$G2B/graph.json"
    rc=$?
    [ -f "$RESULTS/c-gemma2-2b.json" ] || skip c-gemma2-2b.json c "the stage ended without a result (exit $rc; 124: deadline)"
    note "(c) exit $rc: load $(json "$RESULTS/c-gemma2-2b.json" load_seconds)s, graph $(json "$RESULTS/c-gemma2-2b.json" graph_seconds)s, phases $(json "$RESULTS/c-gemma2-2b.json" phases)"
  else
    skip c-gemma2-2b.json c "writing the Gemma-2-2B-shaped checkpoint failed or ran out of time (see check.log)"
  fi
fi

note "done in $(elapsed)s; results in $RESULTS"
