#!/usr/bin/env bash
# libFuzzer campaigns and replays (docs/fuzzing.md).
#
#   scripts/fuzz.sh TARGET SECONDS   fuzz one target (FuzzImage, FuzzTorchZip, FuzzTorchLegacy,
#                                    FuzzPickle, FuzzSafetensors, FuzzCSV, FuzzDarknet, FuzzONNX) for SECONDS
#   scripts/fuzz.sh all SECONDS      every target, one after the other, SECONDS each
#   scripts/fuzz.sh replay           every corpus input and every known finding, once each
#
# It builds what it needs (sanitised release binaries in .build-fuzz) and writes the seed corpora
# (tools/fuzz/make_corpus.py, with the oracle venv's Python) when they are missing. Crashes,
# sanitizer reports, timeouts (-timeout) and memory blow-ups (-rss_limit_mb, -malloc_limit_mb)
# all count as findings: the script exits 1 after reporting each one, inputs kept under
# .build-fuzz/artifacts/TARGET/. Environment:
#   MIQA_FUZZ_FINDINGS  extra reproducers to replay (default: <repo>/../shared/fuzz-findings)
#   MIQA_FUZZ_PYTHON    Python with torch, Pillow, safetensors (default: .build/oracle-venv)
#   MIQA_FUZZ_FLAGS     extra libFuzzer flags for campaigns (e.g. "-jobs=2 -workers=2")
set -uo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
SCRATCH="$REPO/.build-fuzz"
TARGETS=(FuzzImage FuzzTorchZip FuzzTorchLegacy FuzzPickle FuzzSafetensors FuzzCSV FuzzDarknet FuzzONNX)
FINDINGS="${MIQA_FUZZ_FINDINGS:-$REPO/../shared/fuzz-findings}"
PYTHON="${MIQA_FUZZ_PYTHON:-$REPO/.build/oracle-venv/bin/python3}"
# The limits that turn hangs and memory blow-ups into findings instead of a stuck or killed run.
LIMITS=(-rss_limit_mb=2048 -malloc_limit_mb=2048 -timeout=10)
# Swift's runtime keeps metadata caches alive until exit; LeakSanitizer would report those.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"
# Swift's own crash handler would read the crashed process's memory and trip ASan instead of
# letting libFuzzer report the trap (with its stack) and save the input.
export SWIFT_BACKTRACE=enable=no

usage() {
    echo "usage: scripts/fuzz.sh TARGET SECONDS | all SECONDS | replay   (TARGET: ${TARGETS[*]})" >&2
    exit 2
}

is_target() { local t; for t in "${TARGETS[@]}"; do [ "$t" = "$1" ] && return 0; done; return 1; }

# Builds one fuzz product; the log stays in .build-fuzz for when it fails.
build() {
    local target=$1 log="$SCRATCH/build-$1.log"
    mkdir -p "$SCRATCH"
    echo "fuzz: building $target (log: $log)"
    # --sanitize fuzzer links libFuzzer's main in place of the target's; -Xswiftc -sanitize=fuzzer
    # is what adds the coverage instrumentation to every module; -enable-testing lets the
    # checkpoint targets call the readers' internal entry points directly. The trailing -O
    # overrides the kernels' -Ounchecked: with bounds checks back, an out-of-range index traps
    # at its line instead of reading whatever lies past the array, which ASan alone cannot
    # see when the array is Swift's shared empty storage or the index jumps past the redzone.
    if ! swift build -c release --scratch-path "$SCRATCH" --product "$target" \
        --sanitize fuzzer --sanitize address -Xswiftc -sanitize=fuzzer,address \
        -Xswiftc -DMIQA_FUZZ -Xswiftc -enable-testing -Xswiftc -O > "$log" 2>&1; then
        tail -20 "$log" >&2
        echo "fuzz: building $target failed" >&2
        exit 1
    fi
}

binary() { echo "$SCRATCH/release/$1"; }

# Makes the seed corpus of a target when it has none yet.
corpus() {
    local target=$1 dir="$SCRATCH/corpus/$1"
    if [ -d "$dir" ] && [ -n "$(ls -A "$dir")" ]; then return 0; fi
    if [ ! -x "$PYTHON" ]; then
        echo "fuzz: $PYTHON not found (run scripts/setup.sh --oracle, or set MIQA_FUZZ_PYTHON): cannot make the seed corpus" >&2
        exit 1
    fi
    "$PYTHON" tools/fuzz/make_corpus.py "$SCRATCH/corpus" "$target" || { echo "fuzz: making the $target corpus failed" >&2; exit 1; }
}

# One campaign; returns libFuzzer's status (0: ran out of time without a finding).
campaign() {
    local target=$1 seconds=$2 artifacts="$SCRATCH/artifacts/$1/" log="$SCRATCH/fuzz-$1.log"
    mkdir -p "$artifacts"
    echo "fuzz: $target for ${seconds}s (log: $log)"
    # shellcheck disable=SC2086 # MIQA_FUZZ_FLAGS is a list of flags on purpose
    "$(binary "$target")" "$SCRATCH/corpus/$target" -max_total_time="$seconds" "${LIMITS[@]}" \
        -artifact_prefix="$artifacts" -print_final_stats=1 ${MIQA_FUZZ_FLAGS:-} > "$log" 2>&1
    local status=$?
    # The last status line: executions, coverage, corpus size, exec/s, peak RSS.
    grep -E "^#[0-9]+" "$log" | tail -1
    grep -E "^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)" "$log" | tr '\n' ' '; echo
    if [ $status -ne 0 ]; then
        # The cause (a sanitizer report or Swift's "Fatal error" line) and the first frames of
        # the stack, so a CI log alone says where it crashed; the input itself stays in artifacts.
        grep -E "^==[0-9]+==ERROR|^SUMMARY|Test unit written|ERROR: libFuzzer|Fatal error" "$log" | head -5 >&2
        grep -E "^ +#[0-9]+ 0x" "$log" | head -12 >&2
        # A CI log is all that outlives a CI machine: the input, base64, when it is small.
        local unit; unit=$(grep -oE "Test unit written to [^ ]+" "$log" | tail -1 | sed 's/Test unit written to //')
        if [ -n "$unit" ] && [ -f "$unit" ] && [ "$(stat -c %s "$unit")" -le 4096 ]; then
            echo "fuzz: the input, base64 ($(stat -c %s "$unit") bytes):" >&2
            base64 -w 100 "$unit" >&2
        fi
        echo "fuzz: $target FOUND A PROBLEM (exit $status); input under $artifacts, log $log" >&2
    fi
    return $status
}

# The targets that read a reproducer: a `TARGET-` name prefix wins (tools/fuzz/findings/),
# else the file's first bytes decide; CSV findings always carry the prefix (they need the
# reader-selecting first byte of FuzzCSV).
route() {
    local file=$1 name magic
    name=$(basename "$file")
    for t in "${TARGETS[@]}"; do case "$name" in "$t"-*) echo "$t"; return;; esac; done
    case "$name" in *.safetensors) echo FuzzSafetensors; return;; esac
    magic=$(od -An -tx1 -N4 "$file" | tr -d ' \n')
    case "$magic" in
        504b0304*|504b0506*) echo FuzzTorchZip;;
        8002*|8003*|8004*|8005*) echo "FuzzTorchLegacy FuzzPickle";;
        ffd8*|89504e47*|52494646*|424d*|49492a00*|4d4d002a*|47494638*) echo FuzzImage;;
        *) echo "";;
    esac
}

replay() {
    local failed=() target file t status
    for target in "${TARGETS[@]}"; do build "$target"; corpus "$target"; done
    for target in "${TARGETS[@]}"; do
        mkdir -p "$SCRATCH/artifacts/$target"
        # -runs=0: run every corpus input once, then stop without fuzzing.
        if "$(binary "$target")" "$SCRATCH/corpus/$target" -runs=0 "${LIMITS[@]}" \
            -artifact_prefix="$SCRATCH/artifacts/$target/" > "$SCRATCH/replay-$target.log" 2>&1; then
            echo "replay: corpus $target: $(ls "$SCRATCH/corpus/$target" | wc -l) inputs, ok"
        else
            echo "replay: corpus $target: FAILED (log $SCRATCH/replay-$target.log)" >&2
            failed+=("corpus/$target")
        fi
    done
    local sources=("$REPO/tools/fuzz/findings")
    if [ -d "$FINDINGS" ]; then sources+=("$FINDINGS"); else echo "replay: $FINDINGS absent (set MIQA_FUZZ_FINDINGS); skipping those reproducers"; fi
    for dir in "${sources[@]}"; do
        [ -d "$dir" ] || continue
        for file in "$dir"/*; do
            [ -f "$file" ] || continue
            case "$(basename "$file")" in *.md|*.txt) continue;; esac
            t=$(route "$file")
            if [ -z "$t" ]; then echo "replay: $(basename "$file"): no fuzz target reads this kind of file; skipped"; continue; fi
            for target in $t; do
                mkdir -p "$SCRATCH/replay"
                local log="$SCRATCH/replay/$target-$(basename "$file").log"
                "$(binary "$target")" "$file" "${LIMITS[@]}" -artifact_prefix="$SCRATCH/replay/" > "$log" 2>&1
                status=$?
                if [ $status -eq 0 ]; then
                    echo "replay: $target $(basename "$file"): ok"
                else
                    local why
                    why=$(grep -m1 -oE "ERROR: (AddressSanitizer|libFuzzer): [a-z-]+[^(]*|Fatal error: .*|deadly signal" "$log" | head -1)
                    echo "replay: $target $(basename "$file"): FAILED (exit $status: ${why:-see log}; log $log)" >&2
                    failed+=("$target:$(basename "$file")")
                fi
            done
        done
    done
    if [ ${#failed[@]} -gt 0 ]; then
        echo "replay: ${#failed[@]} failing: ${failed[*]}" >&2
        exit 1
    fi
    echo "replay: all inputs ran without a finding"
}

[ $# -ge 1 ] || usage
case "$1" in
    replay) [ $# -eq 1 ] || usage; replay;;
    all|Fuzz*)
        [ $# -eq 2 ] && [[ "$2" =~ ^[0-9]+$ ]] && [ "$2" -gt 0 ] || usage
        if [ "$1" = all ]; then list=("${TARGETS[@]}"); else is_target "$1" || usage; list=("$1"); fi
        for t in "${list[@]}"; do build "$t"; corpus "$t"; done
        found=()
        for t in "${list[@]}"; do campaign "$t" "$2" || found+=("$t"); done
        if [ ${#found[@]} -gt 0 ]; then echo "fuzz: findings in: ${found[*]}" >&2; exit 1; fi
        echo "fuzz: no findings in ${list[*]}";;
    *) usage;;
esac
