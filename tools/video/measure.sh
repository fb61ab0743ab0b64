#!/usr/bin/env bash
# Measures `miqa video analyze` and `miqa video annotate` on a generated 10 s 1080p H.264 file
# with full-size random-weight checkpoints, and the two ways of pulling sampled frames out of
# FFmpeg (select filter vs one seek per frame). Prints numbers; asserts nothing.
#   tools/video/measure.sh [MIQA_BINARY] [WORK_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
MIQA=${1:-.build/release/miqa}
WORK=${2:-/tmp/miqa-video-measure}
mkdir -p "$WORK"
VIDEO=$WORK/hd.mp4
[ -f "$VIDEO" ] || ffmpeg -nostdin -v error -y -f lavfi -i testsrc2=size=1920x1080:rate=25:duration=10 \
    -f lavfi -i sine=frequency=440:duration=10 -c:v libx264 -pix_fmt yuv420p -c:a aac -shortest "$VIDEO"
for m in ra_miqa resnet50; do
    [ -f "$WORK/miqa_${m}_cls_composite_metric.pth.tar" ] || python3 tools/oracle/full_models.py make --model $m --seed 1 --out "$WORK"
done

echo "== frame extraction, 50 of 250 frames, 1080p (wall seconds)"
SEL=$(python3 -c "print('+'.join(f'eq(n\\\\,{int(i*250/50)})' for i in range(50)))")
/usr/bin/time -f "select filter, one process: %e s" \
    ffmpeg -nostdin -v error -i "$VIDEO" -vf "select='$SEL'" -frames:v 50 -fps_mode passthrough -f rawvideo -pix_fmt rgb24 pipe:1 > /dev/null
/usr/bin/time -f "seek per frame (-ss before -i), 50 processes: %e s" bash -c '
    for i in $(seq 0 49); do
        ffmpeg -nostdin -v error -ss $(awk "BEGIN{print int($i*250/50)/25}") -i "$0" -frames:v 1 -f rawvideo -pix_fmt rgb24 pipe:1
    done > /dev/null' "$VIDEO"

for m in ra_miqa resnet50; do
    echo "== analyze, $m, 50 frames"
    for run in 1 2 3; do
        "$MIQA" video analyze "$VIDEO" --model $m --weights "$WORK/miqa_${m}_cls_composite_metric.pth.tar" \
            --no-progress --timing --output "$WORK/hd_$m.json" 2>&1 | grep timing
    done
done
echo "== annotate, resnet50, every frame and every 5th"
"$MIQA" video annotate "$VIDEO" --model resnet50 --weights "$WORK/miqa_resnet50_cls_composite_metric.pth.tar" \
    --output-dir "$WORK/annotated" --no-progress
"$MIQA" video annotate "$VIDEO" --model resnet50 --weights "$WORK/miqa_resnet50_cls_composite_metric.pth.tar" \
    --output-dir "$WORK/annotated" --no-progress --every 5
