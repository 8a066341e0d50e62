#!/usr/bin/env bash
# Runs every fuzz target (or the ones named) for SECONDS each, all at once,
# at the lowest priority, then minimises each corpus. Needs a nightly
# toolchain and cargo-fuzz (`rustup toolchain install nightly`,
# `cargo install cargo-fuzz`). From the repository root:
#
#     fuzz/run.sh 600                 # every target, ten minutes each
#     fuzz/run.sh 60 tables note      # two targets, a minute each
#
# Each target reads and grows fuzz/corpus/<target>/, which is then
# minimised; a crash stops that
# target and leaves its input in fuzz/artifacts/<target>/ (replay it with
# `cargo +nightly fuzz run -s none -a <target> <file>`; once fixed, copy it
# into the corpus so `cargo test --test fuzz_corpus` keeps checking it).
# Logs are in fuzz/logs/; the last lines printed give, per target, the
# seconds run, the executions and whether it crashed.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:?usage: fuzz/run.sh SECONDS [TARGET...]}
shift
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(tables note settings lead_status workbook wikidata)
fi
flags=(-s none -a)
mkdir -p fuzz/logs
nice -n 19 cargo +nightly fuzz build "${flags[@]}"
pids=()
for t in "${targets[@]}"; do
    nice -n 19 cargo +nightly fuzz run "${flags[@]}" "$t" "fuzz/corpus/$t" -- \
        -max_total_time="$seconds" -print_final_stats=1 -rss_limit_mb=2048 \
        >"fuzz/logs/$t.log" 2>&1 &
    pids+=($!)
done
status=0
for i in "${!targets[@]}"; do
    wait "${pids[$i]}" || status=1
done
for t in "${targets[@]}"; do
    log="fuzz/logs/$t.log"
    execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
    took=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | tail -1 | awk '{print $5}' || true)
    crashed=$(grep -c 'Test unit written to' "$log" || true)
    echo "$t: ${took:-?} s, ${execs:-?} executions, $crashed crash(es)"
done
# Keep the committed corpus small: a smallest set of inputs that covers what
# the whole corpus covers (libFuzzer's -set_cover_merge), plus the crash
# inputs kept as regression tests (crash-*).
bin="fuzz/target/x86_64-unknown-linux-gnu/release"
for t in "${targets[@]}"; do
    min=$(mktemp -d)
    if nice -n 19 "$bin/$t" -set_cover_merge=1 -rss_limit_mb=2048 "$min" "fuzz/corpus/$t" \
        >>"fuzz/logs/$t.log" 2>&1; then
        find "fuzz/corpus/$t" -type f ! -name 'crash-*' -delete
        cp "$min"/* "fuzz/corpus/$t/"
    else
        status=1
    fi
    rm -rf "$min"
    echo "$t: $(ls "fuzz/corpus/$t" | wc -l) inputs kept"
done
exit $status
