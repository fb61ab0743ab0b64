#!/usr/bin/env bash
# Scoring throughput on a folder of real-photo JPEGs (decode + preprocess + inference + CSV) against
# the model's pure inference throughput (`miqa bench`) at the same batch size, in one run.
#   bash tools/bench/score_throughput.sh MIQA_BINARY JPEG_FOLDER CHECKPOINT_DIR [BATCH]
# CHECKPOINT_DIR holds miqa_<model>_cls_composite_metric.pth.tar files (tools/oracle/full_models.py make).
set -euo pipefail
MIQA=$1; FOLDER=$2; CKPT=$3; BATCH=${4:-8}
N=$(ls "$FOLDER" | wc -l)
echo "| model | batch | pure inference img/s (miqa bench) | scoring img/s ($N JPEGs) | ratio | peak RSS MB |"
echo "|---|---|---|---|---|---|"
for m in resnet18 resnet50 vit_small_patch16_224 ra_miqa; do
  ck="$CKPT/miqa_${m}_cls_composite_metric.pth.tar"
  [ -f "$ck" ] || continue
  pure=$("$MIQA" bench --model "$m" --batch "$BATCH" --iters 5 --json | python3 -c "import json,sys; print(json.load(sys.stdin)['images_per_s'])")
  line=$("$MIQA" score "$FOLDER" --weights "$ck" --model "$m" --batch-size "$BATCH" --format csv --output /dev/null --timing --no-progress 2>&1 | grep '^timing:')
  rate=$(echo "$line" | sed -E 's/.*= ([0-9.]+) images\/s.*/\1/')
  rss=$(echo "$line" | sed -E 's/.*peak RSS ([0-9]+) MB.*/\1/')
  ratio=$(python3 -c "print(f'{$rate / $pure:.2f}')")
  echo "| $m | $BATCH | $pure | $rate | $ratio | $rss |"
done
