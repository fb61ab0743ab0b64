#!/usr/bin/env bash
# The main job on the embedded default model: score real photos and distorted versions of them
# (higher = better for a machine), with annotated copies. Run after scripts/setup.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
MIQA=.build/release/miqa
[ -x "$MIQA" ] || bash scripts/setup.sh
OUT=.build/demo
mkdir -p "$OUT"
REF=../shared/data/miqa-reference/demo_images
# The original's demo photo when shared/ is beside the repository, else a small real photo that
# ships with the tests (scikit-image's coffee cup, a subject the machines recognise).
if [ -f "$REF/demo.jpg" ]; then SRC="$REF/demo.jpg"; else SRC=Tests/MIQATests/Dataset/Fixtures/ref_coffee.jpg; fi
rm -rf "$OUT" && mkdir -p "$OUT"
cp "$SRC" "$OUT/clean.${SRC##*.}"
for t in motion_blur gaussian_noise jpeg_compression; do
  for l in 1 3 5; do "$MIQA" distort "$SRC" --type $t --level $l --seed 1 -o "$OUT/${t}_$l.png" 2>/dev/null; done
done
echo "== machine-centric quality of $(basename "$SRC") and 9 distorted copies (default model, cls) =="
"$MIQA" score "$OUT" --visualize --save-dir "$OUT/annotated" --no-progress
echo "annotated copies: $OUT/annotated/"
