#!/usr/bin/env bash
# Shards against one run: `marginalia analyze` over a corpus of benches/corpus.sh on N threads, then the same corpus
# as N shards side by side (`--shard K/N`, one thread each, as N cluster nodes would run them) and `marginalia
# merge`; prints each step's wall time and peak RSS, and checks with `diff -r` that the merge wrote exactly what
# the one run wrote (but the manifest's command line and times).
#
# Usage: benches/shards.sh [SIZE_MB [N]]     (default: 100 MB, 2 shards; run from anywhere)
#
# The corpus is built (or reused) by `benches/corpus.sh --corpus-only SIZE_MB` in ${BENCH_WORK:-${TMPDIR:-/tmp}/
# marginalia-bench}; the binary is target/release/marginalia (under $CARGO_TARGET_DIR if set), built first. Every output is kept under
# WORK/shards-SIZE_MB-N until the next run (the tables are about 12 times the corpus, and there are two copies).
# Exit status 1 if a step failed or the merge differs from the one run.
set -euo pipefail

size=${1:-100}
shards=${2:-2}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=${BENCH_WORK:-${TMPDIR:-/tmp}/marginalia-bench}
corpus=$work/corpus-${size}MB
out=$work/shards-${size}MB-$shards
bin=${CARGO_TARGET_DIR:-$repo/target}/release/marginalia

(cd "$repo" && cargo build --release --quiet)
"$repo/benches/corpus.sh" --work "$work" --corpus-only "$size" >/dev/null
rm -rf "$out" && mkdir -p "$out"

# timed NAME COMMAND...: runs COMMAND under /usr/bin/time -v, its report in OUT/NAME.time.
timed() {
    local name=$1
    shift
    /usr/bin/time -v -o "$out/$name.time" "$@" >/dev/null 2>"$out/$name.stderr"
}

# report NAME: wall seconds and peak RSS (MiB) of a timed step.
report() {
    awk -v name="$1" '
        /Elapsed \(wall clock\)/ { n = split($NF, t, ":"); s = (n == 3) ? t[1] * 3600 + t[2] * 60 + t[3] : t[1] * 60 + t[2] }
        /Maximum resident/ { rss = $NF / 1024 }
        END { printf "%-12s %9.2f s %9.1f MiB\n", name, s, rss }' "$out/$1.time"
}

options=(--charts none --quiet)
echo "== $corpus, $shards shards, marginalia $("$bin" --version | cut -d' ' -f2)"
timed whole "$bin" analyze "$corpus" "${options[@]}" --threads "$shards" --out "$out/whole" || true
start=$(date +%s.%N)
pids=()
for k in $(seq 1 "$shards"); do
    timed "shard-$k" "$bin" analyze "$corpus" "${options[@]}" --threads 1 --shard "$k/$shards" --out "$out/s$k" &
    pids+=($!)
done
failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
side_by_side=$(echo "$(date +%s.%N) - $start" | bc)
timed merge "$bin" merge "$out"/s[0-9]* --out "$out/merged" --quiet || failed=1

report whole
for k in $(seq 1 "$shards"); do report "shard-$k"; done
printf '%-12s %9.2f s\n' "shards" "$side_by_side"
report merge
# manifest.json records each run's own command line and times: everything else must be the same.
if [ "$failed" = 0 ] && diff -r --exclude=manifest.json "$out/whole" "$out/merged" >/dev/null; then
    echo "merge = one run, byte for byte"
else
    echo "merge differs from one run, or a step failed: see $out/*.stderr" >&2
    exit 1
fi
