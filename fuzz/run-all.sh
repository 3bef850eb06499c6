#!/usr/bin/env bash
# Runs every fuzz target, two at a time, and prints executions and failures
# per target:
#
#   fuzz/run-all.sh MINUTES [TARGET...]     each target for MINUTES (may be a
#                                           fraction: 0.5 is 30 seconds)
#   fuzz/run-all.sh --runs N [TARGET...]    each target for N executions (CI)
#   fuzz/run-all.sh --minimise [TARGET...]  shrinks the seed corpora: the
#                                           fewest inputs that reach every
#                                           edge the corpus reaches
#
# The seed corpora were made with `FUZZ_KEEP_CORPUS=1 fuzz/run-all.sh 0.5`
# and then `fuzz/run-all.sh --minimise`; add inputs the same way.
#
# Each target starts from its committed seed corpus in fuzz/corpus/TARGET
# (read only: new inputs go to a scratch corpus that is thrown away unless
# FUZZ_KEEP_CORPUS=1, which writes them into fuzz/corpus/TARGET). A failure
# (panic, timeout, out of memory, leak) is printed whole: the panic message
# and the file the crashing input was saved to, under fuzz/artifacts/TARGET.
# Exit status 1 when any target failed, when the build failed, or when
# `cargo fuzz list` failed or listed nothing.
#
# Environment: FUZZ_JOBS (default 2), FUZZ_TIMEOUT (seconds one input may
# take, default 10), FUZZ_RSS_MB (default 2048), FUZZ_KEEP_CORPUS.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$HERE" || exit 1

usage() {
    echo "usage: $0 MINUTES [TARGET...] | $0 --runs N [TARGET...]" >&2
    exit 2
}

limit=()
minimise=
case ${1:-} in
    --minimise)
        minimise=1
        what=minimise
        shift
        ;;
    --runs)
        [[ ${2:-} =~ ^[0-9]+$ ]] || usage
        limit=("-runs=$2")
        what="$2 runs"
        shift 2
        ;;
    '' | -*) usage ;;
    *)
        seconds=$(awk -v m="$1" 'BEGIN { if (m !~ /^[0-9]*\.?[0-9]+$/) exit 1; s = int(m * 60 + 0.5); print (s < 1 ? 1 : s) }') ||
            usage
        limit=("-max_total_time=$seconds")
        what="${seconds}s"
        shift
        ;;
esac
JOBS=${FUZZ_JOBS:-2}
export RUSTC_BOOTSTRAP=1 # cargo-fuzz's sanitizer flags on a stable toolchain

if ! command -v cargo-fuzz >/dev/null 2>&1; then
    echo "fuzz: cargo-fuzz is not installed (cargo install --locked cargo-fuzz)" >&2
    exit 1
fi
if (($# > 0)); then
    targets=("$@")
else
    if ! list=$(cargo fuzz list); then
        echo "fuzz: cargo fuzz list failed" >&2
        exit 1
    fi
    read -r -d '' -a targets <<<"$list"
fi
if ((${#targets[@]} == 0)); then
    echo "fuzz: no fuzz targets found" >&2
    exit 1
fi
echo "fuzz: building ${#targets[@]} targets"
if ! cargo fuzz build -O; then
    echo "fuzz: build failed" >&2
    exit 1
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/mailwire-fuzz.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

if [[ -n $minimise ]]; then
    # Edges only (no hit counts), greedy set cover: a small seed corpus.
    bin=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
    bin=$bin/$(rustc -vV | sed -n 's/^host: //p')/release
    for target in "${targets[@]}"; do
        seeds=$HERE/corpus/$target
        [[ -d $seeds ]] || continue
        mkdir -p "$WORK/min/$target"
        "$bin/$target" -merge=1 -set_cover_merge=1 -use_counters=0 -use_value_profile=0 \
            "$WORK/min/$target" "$seeds" >"$WORK/$target.log" 2>&1 ||
            { tail -n 20 "$WORK/$target.log" >&2; exit 1; }
        before=$(find "$seeds" -type f | wc -l)
        rm -rf "$seeds"
        mv "$WORK/min/$target" "$seeds"
        printf '%-24s %6s -> %4s inputs, %s bytes\n' "$target" "$before" \
            "$(find "$seeds" -type f | wc -l)" "$(du -sb "$seeds" | cut -f1)"
    done
    exit 0
fi

# run_target TARGET: one libFuzzer run; its log goes to $WORK/TARGET.log.
run_target() {
    local target=$1 seeds=$HERE/corpus/$1 scratch=$WORK/corpus/$1 corpora=()
    mkdir -p "$seeds" "$scratch" "$HERE/artifacts/$target"
    if [[ ${FUZZ_KEEP_CORPUS:-0} == 1 ]]; then
        corpora=("$seeds")
    else
        corpora=("$scratch" "$seeds") # new inputs go to the first
    fi
    cargo fuzz run -O "$target" "${corpora[@]}" -- "${limit[@]}" \
        -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb="${FUZZ_RSS_MB:-2048}" \
        -print_final_stats=1 >"$WORK/$target.log" 2>&1
    echo $? >"$WORK/$target.status"
}

echo "fuzz: ${#targets[@]} targets, $what each, $JOBS at a time"
running=0
for target in "${targets[@]}"; do
    if ((running >= JOBS)); then
        wait -n
        running=$((running - 1))
    fi
    run_target "$target" &
    running=$((running + 1))
done
wait

failed=0
printf '%-24s %14s %8s\n' target executions failures
for target in "${targets[@]}"; do
    log=$WORK/$target.log
    status=$(cat "$WORK/$target.status" 2>/dev/null || echo missing)
    execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | grep -o '[0-9]*$' | tail -n 1)
    [[ -n $execs ]] || execs=$(grep -o '^Done [0-9]* runs' "$log" | grep -o '[0-9]*' | tail -n 1)
    # Artifacts this run wrote: "Test unit written to PATH".
    artifacts=$(grep -o 'Test unit written to .*' "$log" | sed 's/^Test unit written to //')
    failures=0
    if [[ $status != 0 ]]; then
        failures=$(grep -c . <<<"$artifacts")
        ((failures > 0)) || failures=1 # a failure that saved no input
    fi
    printf '%-24s %14s %8s\n' "$target" "${execs:-?}" "$failures"
    if [[ $status != 0 ]]; then
        failed=$((failed + 1))
        {
            echo "--- $target failed (exit status $status); the run's report:"
            # From the first sign of trouble to the end: the panic message,
            # libFuzzer's summary and the saved input.
            awk '/panicked at|==[0-9]+==|ERROR: libFuzzer|SUMMARY:|deadly signal|ALARM:|out-of-memory/ { on = 1 }
                /^Stack backtrace:/ { exit } on' "$log" |
                grep -Ev '^ *#[0-9]+ 0x|^ *[0-9]+: 0x|^ +at /rustc/' | head -n 80
            [[ -n $artifacts ]] || tail -n 20 "$log"
            while read -r path; do
                [[ -n $path ]] && echo "crash input: $path (reproduce: cargo fuzz run -O $target $path)"
            done <<<"$artifacts"
        } >&2
    fi
done
echo "fuzz: ${#targets[@]} targets, $failed failed"
((failed == 0))
