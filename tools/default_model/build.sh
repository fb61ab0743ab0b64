#!/usr/bin/env bash
# Rebuilds the embedded cls default model from packages alone, in resumable stages:
#   setup -> machines -> references -> generate -> label -> train -> heldout -> filtering -> package
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
# Sources/MIQA/Resources/DefaultModel at the end; 0 = leave it in WORK/package).
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
export MIQA_HOME=${MIQA_HOME:-$WORK/home}
PY=$REPO/.build/oracle-venv/bin/python3
MIQA=$REPO/.build/release/miqa
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

do_machines() { "$MIQA" weights fetch ${MACHINES//,/ }; }

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

do_train() {
    local resume=()
    [ -e "$WORK/run/last/state.safetensors" ] && resume=(--resume)
    "$MIQA" train --data "$WORK/miqd" --task cls --label composite --model efficientnet_lite0 --init imagenet \
        --train-split "$WORK/splits/train_fit.csv" --val-split "$WORK/splits/val.csv" \
        --batch-size "$BATCH" --epochs "$EPOCHS" --warmup-epochs 0 --lr 3e-4 --validations-per-epoch 2 \
        --seed 1234567 --out "$WORK/run" --no-progress "${resume[@]}"
}

do_heldout() {
    "$PY" tools/default_model/make_heldout.py --references "$WORK/refs" --out "$WORK/heldout" --sources "$HELD_OUT"
}

# The best validation checkpoint; the last one when validation never had a defined SRCC (a tiny
# trial run whose validation labels are all equal).
checkpoint() {
    if [ -e "$WORK/run/best/model.safetensors" ]; then echo "$WORK/run/best"; else
        echo "build: warning: no best checkpoint (validation SRCC never defined); using the last" >&2
        echo "$WORK/run/last"; fi
}

do_filtering() {
    "$MIQA" filtering --pairs "$WORK/heldout/pairs.csv" --weights "$(checkpoint)/model.safetensors" \
        --machines "$MACHINES" --out "$WORK/filtering" --no-progress
}

do_package() {
    local out=$WORK/package chart=()
    if [ "$PACKAGE" = 1 ]; then
        out=$REPO/Sources/MIQA/Resources/DefaultModel
        chart=(--chart "$REPO/docs/images/default_cls_filtering.png")
    fi
    "$PY" tools/default_model/package_model.py --miqa "$MIQA" --run "$WORK/run" --checkpoint "$(checkpoint)" --filtering "$WORK/filtering" \
        --work "$WORK" --epochs "$EPOCHS" --configurations "$CONFIGURATIONS" --definition "$DEFINITION" \
        --machines "$MACHINES" --out "$out" "${chart[@]}"
}

stage setup do_setup
stage machines do_machines
stage references do_references
stage generate do_generate
stage label do_label
stage train do_train
stage heldout do_heldout
stage filtering do_filtering
stage package do_package
echo "build: all stages done in $WORK"
