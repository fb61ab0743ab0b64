#!/usr/bin/env bash
# Rebuilds the default model from scratch (the one command named in its model card):
# reference photos -> MIQD-style database -> machine labels (EfficientNet-Lite0/1/2) ->
# training (EfficientNet-Lite0 from ImageNet weights, regression head) -> held-out evaluation ->
# fp16 weights + card in Sources/MIQA/Resources/DefaultModel/.
#   bash tools/default_model/build.sh [WORK_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=${1:-/tmp/miqa-default-model}
EPOCHS=${EPOCHS:-1}
BATCH=${BATCH:-32}
export MIQA_HOME=${MIQA_HOME:-$WORK/home}
bash scripts/setup.sh --oracle
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gnome-backgrounds mate-backgrounds plasma-workspace-wallpapers >/dev/null
MIQA=.build/release/miqa
$MIQA weights fetch efficientnet_lite0 efficientnet_lite1 efficientnet_lite2
python3 tools/default_model/make_references.py --out "$WORK" --max-crops 2 --size 320x240
python3 tools/default_model/make_val_split.py "$WORK/splits/train.csv" --every 6
$MIQA dataset generate --references "$WORK/references" --out "$WORK/miqd" --task cls --threads 2 --no-progress
$MIQA dataset label "$WORK/miqd" --machines efficientnet_lite0,efficientnet_lite1,efficientnet_lite2 --no-progress
$MIQA train --data "$WORK/miqd" --task cls --label composite --model efficientnet_lite0 --init imagenet \
  --train-split "$WORK/splits/train_fit.csv" --val-split "$WORK/splits/val.csv" \
  --batch-size "$BATCH" --epochs "$EPOCHS" --warmup-epochs 0 --lr 3e-4 --validations-per-epoch 2 \
  --seed 1234567 --out "$WORK/run" --no-progress
$MIQA evaluate --data "$WORK/miqd" --task cls --label composite --split "$WORK/splits/test.csv" \
  --weights "$WORK/run/best/model.safetensors" --out "$WORK/eval" --no-progress
python3 tools/default_model/package_model.py --miqa "$MIQA" --run "$WORK/run" --eval "$WORK/eval" --work "$WORK" --epochs "$EPOCHS" --out Sources/MIQA/Resources/DefaultModel
