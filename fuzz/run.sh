#!/usr/bin/env bash
# Runs each fuzz target for a fixed time, one after another, and prints each one's executions and any crash.
# Needs the nightly toolchain and cargo-fuzz: rustup toolchain install nightly; cargo install cargo-fuzz.
#
#   fuzz/run.sh          # 10 minutes per target
#   fuzz/run.sh 60       # 1 minute per target
#
# A crash leaves its input in fuzz/artifacts/TARGET/; replay it with `cargo +nightly fuzz run TARGET FILE`, and
# turn it into a regression test beside the code it broke.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
mkdir -p fuzz/corpus/segment fuzz/corpus/quotes fuzz/corpus/lexicon fuzz/corpus/tabular
# Seeds: the sample review and the embedded lexicons.
cp texts/*.txt fuzz/corpus/segment/
cp texts/*.txt fuzz/corpus/quotes/
cp data/themes.toml data/tone.toml fuzz/corpus/lexicon/
printf 'id,stars,text\nr1,5,"A ""haunting"" book,\nabout memory."\n' > fuzz/corpus/tabular/reviews.csv
printf '{"text": "Memory.", "year": 2005}\n{"text": 1}\n' > fuzz/corpus/tabular/reviews.jsonl
for target in segment quotes lexicon tabular; do
    log="fuzz/$target.log"
    status=0
    # A run over 10 s on one input is a hang (quadratic work), reported like a crash.
    cargo +nightly fuzz run -O "$target" -- -max_total_time="$seconds" -max_len=65536 -timeout=10 >"$log" 2>&1 || status=$?
    runs=$(grep -o 'Done [0-9]* runs' "$log" | tail -1 || true)
    if [ "$status" -eq 0 ]; then
        echo "$target: ${runs:-no summary}; no crash ($seconds s)"
    else
        echo "$target: CRASH (exit $status); see $log and fuzz/artifacts/$target/"
    fi
done
