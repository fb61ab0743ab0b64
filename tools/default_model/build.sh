#!/usr/bin/env bash
# Rebuilds the embedded default models (cls, then det) from packages alone, in resumable stages:
#   cls: setup -> machines -> references -> generate -> label -> train -> heldout -> filtering
#        -> heldout_miqd -> filtering_miqd -> package
#   det: det_references -> det_generate -> det_label -> det_train -> det_filtering -> det_package
# Each finished stage leaves WORK/stages/<name>.done; a cut-off run started again continues at the
# first unfinished stage, and the long stages resume inside themselves (generate and label skip
# finished references, train continues from its last checkpoint, make_heldout keeps its files).
#
#   bash tools/default_model/build.sh [WORK_DIR]        (default: $HOME/miqa-default-model)
#
# Knobs (environment): EPOCHS (2), BATCH (32), CONFIGURATIONS (9 of the 25 region configurations
# per distortion type: docs/labels.md "Fewer configurations"), DEFINITION (overlap),
# MACHINES (efficientnet_lite0,efficientnet_lite1,efficientnet_lite2,mobilenet_v2), LIMIT (0 = every reference;
# N keeps N training references spread over the sources, for a quick trial), PACKAGE (1 = write the model into
# Sources/MIQA/Resources/DefaultModel at the end; 0 = leave it in WORK/package), TASKS (cls,det: which defaults),
# DET_MACHINES (yolov3_tiny), DET_COMPOSITES (200 tuxpaint composites before the detector's selection),
# MIQA_BIN (the miqa binary; default .build/release/miqa, which the setup stage builds).
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$(pwd)
WORK=$(mkdir -p "${1:-$HOME/miqa-default-model}" && cd "${1:-$HOME/miqa-default-model}" && pwd)
EPOCHS=${EPOCHS:-2}
BATCH=${BATCH:-32}
CONFIGURATIONS=${CONFIGURATIONS:-9}
DEFINITION=${DEFINITION:-overlap}
MACHINES=${MACHINES:-efficientnet_lite0,efficientnet_lite1,efficientnet_lite2,mobilenet_v2}
LIMIT=${LIMIT:-0}
PACKAGE=${PACKAGE:-1}
TASKS=${TASKS:-cls,det}
DET_MACHINES=${DET_MACHINES:-yolov3_tiny}
DET_COMPOSITES=${DET_COMPOSITES:-200}
export MIQA_HOME=${MIQA_HOME:-$WORK/home}
PY=$REPO/.build/oracle-venv/bin/python3
MIQA=${MIQA_BIN:-$REPO/.build/release/miqa}
HELD_OUT=foolbox,gcompris:erase_,gcompris:explore_world_animals_,gcompris:explore_farm_animals_
mkdir -p "$WORK/stages"

stage() {
    local name=$1; shift
    if [ -e "$WORK/stages/$name.done" ]; then echo "build: $name: done in an earlier run"; return; fi
    echo "build: $name: started $(date -u +%H:%M:%S)"
    local t0=$SECONDS
    "$@"
    date -u +%FT%TZ > "$WORK/stages/$name.done"
    echo "build: $name: finished in $((SECONDS - t0)) s"
}

do_setup() {
    bash scripts/setup.sh --oracle
    "$REPO/.build/oracle-venv/bin/pip" install -q --no-deps -r tools/default_model/requirements.txt
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        gnome-backgrounds mate-backgrounds plasma-workspace-wallpapers >/dev/null
}

do_machines() { "$MIQA" weights fetch ${MACHINES//,/ } ${DET_MACHINES//,/ }; }

do_references() {
    "$PY" tools/references/extract_references.py --out "$WORK/refs" --cache "$WORK/cache"
    "$PY" tools/default_model/make_references.py --out "$WORK/wallpapers" --max-crops 2 --size 320x240
    "$PY" tools/default_model/select_references.py --refs "$WORK/refs" --wallpapers "$WORK/wallpapers" \
        --out "$WORK" --limit "$LIMIT"
}

do_generate() {
    "$MIQA" dataset generate --references "$WORK/train_refs" --out "$WORK/miqd" --task cls \
        --configurations "$CONFIGURATIONS" --threads 2 --no-progress
}

do_label() {
    "$MIQA" dataset label "$WORK/miqd" --machines "$MACHINES" --definition "$DEFINITION" \
        --ground-truth "$WORK/ground_truth.csv" --no-progress
}

# Fine-tunes EfficientNet-Lite0 from ImageNet on DATA for TASK (composite label) with the splits
# in SPLITS, into OUT; continues from OUT's last checkpoint after a cut.
train_run() {
    local data=$1 task=$2 splits=$3 out=$4 resume=()
    [ -e "$out/last/state.safetensors" ] && resume=(--resume)
    "$MIQA" train --data "$data" --task "$task" --label composite --model efficientnet_lite0 --init imagenet \
        --train-split "$splits/train_fit.csv" --val-split "$splits/val.csv" \
        --batch-size "$BATCH" --epochs "$EPOCHS" --warmup-epochs 0 --lr 3e-4 --validations-per-epoch 2 \
        --seed 1234567 --out "$out" --no-progress "${resume[@]}"
}

do_train() { train_run "$WORK/miqd" cls "$WORK/splits" "$WORK/run"; }

do_heldout() {
    "$PY" tools/default_model/make_heldout.py --references "$WORK/refs" --out "$WORK/heldout" --sources "$HELD_OUT"
}

# The best validation checkpoint of RUN (default WORK/run); the last one when validation never had a
# defined SRCC (a tiny trial run whose validation labels are all equal).
checkpoint() {
    local run=${1:-$WORK/run}
    if [ -e "$run/best/model.safetensors" ]; then echo "$run/best"; else
        echo "build: warning: no best checkpoint in $run (validation SRCC never defined); using the last" >&2
        echo "$run/last"; fi
}

do_filtering() {
    "$MIQA" filtering --pairs "$WORK/heldout/pairs.csv" --weights "$(checkpoint)/model.safetensors" \
        --machines "$MACHINES" --out "$WORK/filtering" --no-progress
}

# The same test on MIQD's own distortions: a database generated from the held-out references.
do_heldout_miqd() {
    "$MIQA" dataset generate --references "$WORK/heldout/references" --out "$WORK/heldout_miqd" --task cls \
        --configurations "$CONFIGURATIONS" --threads 2 --no-progress
}

do_filtering_miqd() {
    "$MIQA" filtering --data "$WORK/heldout_miqd" --weights "$(checkpoint)/model.safetensors" \
        --machines "$MACHINES" --out "$WORK/heldout_miqd_filtering" --no-progress
}

do_package() {
    local out=$WORK/package chart=()
    if [ "$PACKAGE" = 1 ]; then
        out=$REPO/Sources/MIQA/Resources/DefaultModel
        chart=(--chart "$REPO/docs/images/default_cls_filtering.png")
    fi
    "$PY" tools/default_model/package_model.py --miqa "$MIQA" --run "$WORK/run" --checkpoint "$(checkpoint)" --filtering "$WORK/filtering" \
        --work "$WORK" --epochs "$EPOCHS" --configurations "$CONFIGURATIONS" --definition "$DEFINITION" \
        --machines "$MACHINES" --filtering-miqd "$WORK/heldout_miqd_filtering" --out "$out" "${chart[@]}"
}

DET=$WORK/det

do_det_references() {
    # The detector may be missing from a work folder whose machines stage ran before det existed.
    local m
    for m in ${DET_MACHINES//,/ }; do
        [ -e "$MIQA_HOME/models/$m/model.safetensors" ] || "$MIQA" weights fetch "$m"
    done
    # Backgrounds: the training wallpaper crops only (the held-out crops stay unseen).
    mkdir -p "$DET/backgrounds"
    tail -n +2 "$WORK/wallpapers/splits/train.csv" | while read -r id; do
        id=${id%.png}; [ -n "$id" ] && ln -sfn "$WORK/wallpapers/references/$id.png" "$DET/backgrounds/$id.png"
    done
    "$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["notes"]["class_names"])' \
        "$MIQA_HOME/models/${DET_MACHINES%%,*}/model.json" > "$DET/class_names.txt"
    "$PY" tools/default_model/make_det_references.py --backgrounds "$DET/backgrounds" --out "$DET/composites" \
        --count "$DET_COMPOSITES" --cache "$WORK/cache" --names "$DET/class_names.txt"
    "$PY" tools/default_model/select_det_references.py --miqa "$MIQA" --work "$WORK" --limit "$LIMIT"
}

do_det_generate() {
    "$MIQA" dataset generate --references "$DET/train_refs" --out "$DET/miqd" --task det \
        --configurations "$CONFIGURATIONS" --threads 2 --no-progress
}

do_det_label() {
    "$MIQA" dataset label "$DET/miqd" --machines "$DET_MACHINES" --ground-truth "$DET/boxes.json" --no-progress
}

do_det_train() { train_run "$DET/miqd" det "$DET/splits" "$DET/run"; }

do_det_filtering() {
    "$MIQA" filtering --pairs "$WORK/heldout/det_pairs.csv" --weights "$(checkpoint "$DET/run")/model.safetensors" \
        --machines "$DET_MACHINES" --out "$DET/filtering" --no-progress
}

do_det_package() {
    local out=$DET/package chart=()
    if [ "$PACKAGE" = 1 ]; then
        out=$REPO/Sources/MIQA/Resources/DefaultModel/det
        chart=(--chart "$REPO/docs/images/default_det_filtering.png")
    fi
    "$PY" tools/default_model/package_model.py --task det --miqa "$MIQA" --run "$DET/run" --checkpoint "$(checkpoint "$DET/run")" \
        --filtering "$DET/filtering" --work "$DET" --epochs "$EPOCHS" --configurations "$CONFIGURATIONS" \
        --definition coco_box_ap --machines "$DET_MACHINES" --out "$out" "${chart[@]}"
}

stage setup do_setup
stage machines do_machines
stage references do_references
if [[ ,$TASKS, == *,cls,* ]]; then
    stage generate do_generate
    stage label do_label
    stage train do_train
fi
# The held-out set serves both tasks (det keeps the references its detector sees something in).
stage heldout do_heldout
if [[ ,$TASKS, == *,cls,* ]]; then
    stage filtering do_filtering
    stage heldout_miqd do_heldout_miqd
    stage filtering_miqd do_filtering_miqd
    stage package do_package
fi
if [[ ,$TASKS, == *,det,* ]]; then
    mkdir -p "$DET"
    stage det_references do_det_references
    stage det_generate do_det_generate
    stage det_label do_det_label
    stage det_train do_det_train
    stage det_filtering do_det_filtering
    stage det_package do_det_package
fi
echo "build: all stages done in $WORK"
