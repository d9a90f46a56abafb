#!/usr/bin/env bash
# Prepares, on a machine with npm and Debian's packages, what the GPU check (bench/gpu-check.sh) needs on a
# bare GPU machine with no network and no Node.js, into the git-ignored folder .gpu-bundle/:
#
#   node.xz        this machine's Node.js binary (official build: needs only glibc), stripped, xz-compressed
#   app.tar.xz     app/gpu-check.mjs and app/worker.mjs (the check's driver and the worker's command line, bundled
#                  by esbuild) and app/node_modules/onnxruntime-{node,common}: their JavaScript and the Linux x64
#                  native library (libonnxruntime.so.1 with the WebGPU provider inside)
#   vulkan/*.deb   the Vulkan loader (libvulkan1), by `apt-get download`, unpacked there only when the GPU
#                  machine has none
#   MANIFEST.txt   versions, sizes and sha256 sums
#
# Then checks that the bundle and the checkout that travels with it (tracked + untracked, not ignored, files)
# fit the device machine's 64 MiB. Re-running reuses node.xz and app.tar.xz while their inputs are unchanged.
#
#   usage: bash bench/gpu-check/prepare-bundle.sh      (npm run gpu:bundle)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUNDLE=${GPU_BUNDLE:-$ROOT/.gpu-bundle}
LIMIT=$((64 * 1024 * 1024))
cd "$ROOT"
mkdir -p "$BUNDLE/vulkan"
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
say() { echo "prepare-bundle: $*" >&2; }
sha() { sha256sum "$1" | cut -d' ' -f1; }

[ "$(uname -m)" = x86_64 ] || { say "this machine is $(uname -m); the GPU machine is x86-64: prepare the bundle on an x86-64 machine"; exit 1; }

# 1. Node.js: the running binary, stripped of its debug information (about 86 MB → 21 MB compressed).
NODE_BIN=$(command -v node)
if ldd "$NODE_BIN" | grep -q -E 'libnode|libuv|libssl|libicu'; then
  say "$NODE_BIN links shared libraries of its distribution (libnode/libuv/…); use an official Node.js build"
  exit 1
fi
NODE_STAMP="$(node --version) $(sha "$NODE_BIN")"
if [ ! -f "$BUNDLE/node.xz" ] || [ "$(cat "$BUNDLE/node.stamp" 2>/dev/null)" != "$NODE_STAMP" ]; then
  say "compressing node $(node --version) (xz -9, a few minutes on 2 cores)…"
  cp "$NODE_BIN" "$STAGE/node"
  strip "$STAGE/node" 2>/dev/null || say "strip not found: the binary travels unstripped"
  xz -T0 -9 -c "$STAGE/node" >"$BUNDLE/node.xz.tmp"
  mv "$BUNDLE/node.xz.tmp" "$BUNDLE/node.xz"
  echo "$NODE_STAMP" >"$BUNDLE/node.stamp"
fi

# 2. The app: the check's driver and the worker, bundled; onnxruntime-node external (its native library).
APP="$STAGE/app"
mkdir -p "$APP/node_modules"
BANNER="import { createRequire as __cbRequire } from 'node:module'; const require = __cbRequire(import.meta.url);"
for entry in bench/gpu-check/gpu-check.ts:gpu-check.mjs gpu-worker/src/cli.ts:worker.mjs; do
  npx --no-install esbuild "${entry%%:*}" --bundle --platform=node --format=esm --target=node20 \
    --external:onnxruntime-node --banner:js="$BANNER" --log-level=warning --outfile="$APP/${entry##*:}"
done
ORT=node_modules/onnxruntime-node
mkdir -p "$APP/$ORT/bin/napi-v6/linux" "$APP/node_modules/onnxruntime-common/dist"
cp "$ORT/package.json" "$APP/$ORT/"
cp -r "$ORT/dist" "$APP/$ORT/dist"
cp -r "$ORT/bin/napi-v6/linux/x64" "$APP/$ORT/bin/napi-v6/linux/x64"
cp node_modules/onnxruntime-common/package.json "$APP/node_modules/onnxruntime-common/"
cp -r node_modules/onnxruntime-common/dist/cjs "$APP/node_modules/onnxruntime-common/dist/cjs"
find "$APP" \( -name '*.map' -o -name '*.d.ts' \) -delete
APP_STAMP=$(cd "$STAGE" && find app -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
if [ ! -f "$BUNDLE/app.tar.xz" ] || [ "$(cat "$BUNDLE/app.stamp" 2>/dev/null)" != "$APP_STAMP" ]; then
  say "compressing the app and onnxruntime-node $(node -p "require('./$ORT/package.json').version") (xz -9)…"
  tar -C "$STAGE" -cf - app | xz -T0 -9 -c >"$BUNDLE/app.tar.xz.tmp"
  mv "$BUNDLE/app.tar.xz.tmp" "$BUNDLE/app.tar.xz"
  echo "$APP_STAMP" >"$BUNDLE/app.stamp"
fi

# 3. The Vulkan loader, for a GPU machine whose driver ships the ICD but not the loader.
if ! ls "$BUNDLE"/vulkan/libvulkan1_*_amd64.deb >/dev/null 2>&1; then
  say "apt-get download libvulkan1 (amd64)…"
  (cd "$BUNDLE/vulkan" && apt-get download libvulkan1:amd64 2>&1 | grep -v '^W: Download is performed unsandboxed' >&2)
fi

# 4. The manifest and the 64 MiB check.
CHECKOUT=$(git ls-files -z -co --exclude-standard | xargs -0 -r stat -c %s 2>/dev/null | awk '{s += $1} END {print s + 0}')
BUNDLED=$(find "$BUNDLE" -type f \( -name '*.xz' -o -name '*.deb' \) -print0 | xargs -0 stat -c %s | awk '{s += $1} END {print s + 0}')
TOTAL=$((CHECKOUT + BUNDLED + 4096))
mib() { awk -v b="$1" 'BEGIN {printf "%.1f MiB", b / 1048576}'; }
{
  echo "Circuitboard GPU-check bundle, prepared $(date -u +%FT%TZ) on $(uname -srm)"
  echo "node $(node --version); onnxruntime-node $(node -p "require('./$ORT/package.json').version")"
  (cd "$BUNDLE" && find . -type f \( -name '*.xz' -o -name '*.deb' \) -print0 | sort -z | xargs -0 stat -c '%s %n' |
    while read -r size name; do echo "$(sha "$BUNDLE/$name")  $size  $name"; done)
  echo "checkout (tracked + untracked, not ignored): $CHECKOUT bytes ($(mib "$CHECKOUT"))"
  echo "bundle: $BUNDLED bytes ($(mib "$BUNDLED")); together: $(mib "$TOTAL") of 64 MiB"
} >"$BUNDLE/MANIFEST.txt"
cat "$BUNDLE/MANIFEST.txt" >&2
if [ "$TOTAL" -gt "$LIMIT" ]; then
  say "TOO LARGE: checkout + bundle = $(mib "$TOTAL") > 64 MiB"
  exit 1
fi
say "fits: $(mib "$TOTAL") ≤ 64 MiB. On the GPU machine: bash bench/gpu-check.sh \"\$OUT\" (carry .gpu-bundle)"
