#!/usr/bin/env bash
# Whole-process throughput of `marginalia analyze` on corpora of 10 MB, 100 MB and 1 GB of real prose, on one and
# two threads, with the Python/NLTK baseline (../shared/peers) on the 10 MB corpus when it is installed.
#
# Usage: benches/corpus.sh [OPTIONS] [SIZE_MB ...]          (run from anywhere; paths are relative to the repo)
#
#   SIZE_MB ...          corpus sizes in MB (1 MB = 1e6 bytes); default "10 100 1000", or env SIZES="10 100"
#   --work DIR           work folder for corpora, outputs, logs and results.csv
#                        (default ${TMPDIR:-/tmp}/marginalia-bench, or env BENCH_WORK)
#   --source DIR         a folder of source texts (*.txt, *.md, recursively); repeatable. Always used: texts/;
#                        also ../shared/corpus/literary when it exists (24 public-domain books, 15.8 MB)
#   --no-shared          leave out ../shared/corpus/literary
#   --threads "1 2"      thread counts to run (env THREADS); the speedup column is against the first one
#   --peers-sizes "10"   corpus sizes to run the Python baseline on (env PEERS_SIZES; default 10; "none" to
#                        skip). It does about 0.21 MB/s: 100 MB takes about 8 minutes, 1 GB 80.
#   --python PATH        python with nltk for the baseline
#                        (env PEERS_PY; default ${XDG_CACHE_HOME:-$HOME/.cache}/marginalia-peers/venv/bin/python)
#   --bin PATH           time this marginalia binary instead of building one with `cargo build --release`
#   --rebuild-corpus     generate the corpora again even if they exist
#   --keep-output        keep each run's tables (WORK/out/...); by default they are deleted after the run (the
#                        tables are about 12 times the corpus: 12 GB for 1 GB)
#   --corpus-only        build the corpora and stop
#   -h, --help           this text
#
# The corpus looks like a scholar's folder of review-sized documents: the source books are cut at blank lines
# into documents of about 10 KB, each headed "Copy N of BOOK part M.", in folders BOOK/BOOK-NNN/ of at most 100
# documents; the material is repeated (each copy cut at slightly different paragraph boundaries, so no two
# documents are byte-identical) until the size is reached: 1 GB is about 100,000 documents. A corpus is built once
# under WORK/corpus-<SIZE>MB and reused while its sources are unchanged.
#
# Each run is one process under /usr/bin/time -v with RAYON_NUM_THREADS=T (and --threads T --quiet when the binary
# has them). Printed per run: seconds (wall), MB/s (corpus bytes / 1e6 / seconds), documents/s, peak RSS (MiB, the
# "Maximum resident set size" / 1024) and the speedup over the first thread count; then the time ratio between
# successive sizes (linearity: 100 MB -> 1 GB should take at most 11x as long). Every row is appended to
# WORK/results.csv with a timestamp. Exit status 1 if any run failed.
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }
die() { echo "corpus.sh: $*" >&2; exit 2; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${BENCH_WORK:-${TMPDIR:-/tmp}/marginalia-bench}"
THREADS="${THREADS:-1 2}"
PEERS_SIZES="${PEERS_SIZES:-10}"
PEERS_PY="${PEERS_PY:-${XDG_CACHE_HOME:-$HOME/.cache}/marginalia-peers/venv/bin/python}"
PEERS_DIR="${PEERS_DIR:-$ROOT/../shared/peers}"
SHARED_LITERARY="$ROOT/../shared/corpus/literary"
BIN=""
USE_SHARED=1
REBUILD=0
KEEP_OUTPUT=0
CORPUS_ONLY=0
SOURCES=()
POS_SIZES=()

while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --work) [ $# -ge 2 ] || die "--work needs a folder"; WORK="$2"; shift 2 ;;
    --work=*) WORK="${1#*=}"; shift ;;
    --source) [ $# -ge 2 ] || die "--source needs a folder"; SOURCES+=("$2"); shift 2 ;;
    --source=*) SOURCES+=("${1#*=}"); shift ;;
    --no-shared) USE_SHARED=0; shift ;;
    --threads) [ $# -ge 2 ] || die "--threads needs a list"; THREADS="$2"; shift 2 ;;
    --threads=*) THREADS="${1#*=}"; shift ;;
    --peers-sizes) [ $# -ge 2 ] || die "--peers-sizes needs a list"; PEERS_SIZES="$2"; shift 2 ;;
    --peers-sizes=*) PEERS_SIZES="${1#*=}"; shift ;;
    --python) [ $# -ge 2 ] || die "--python needs a path"; PEERS_PY="$2"; shift 2 ;;
    --python=*) PEERS_PY="${1#*=}"; shift ;;
    --bin) [ $# -ge 2 ] || die "--bin needs a path"; BIN="$2"; shift 2 ;;
    --bin=*) BIN="${1#*=}"; shift ;;
    --rebuild-corpus) REBUILD=1; shift ;;
    --keep-output) KEEP_OUTPUT=1; shift ;;
    --corpus-only) CORPUS_ONLY=1; shift ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) POS_SIZES+=("$1"); shift ;;
  esac
done

if [ ${#POS_SIZES[@]} -gt 0 ]; then SIZES="${POS_SIZES[*]}"; else SIZES="${SIZES:-10 100 1000}"; fi
[ "$PEERS_SIZES" = none ] && PEERS_SIZES=""
read -r -a SIZE_LIST <<< "$SIZES"
read -r -a THREAD_LIST <<< "$THREADS"
read -r -a PEER_SIZE_LIST <<< "$PEERS_SIZES"
for s in "${SIZE_LIST[@]}" "${PEER_SIZE_LIST[@]}"; do
  [[ "$s" =~ ^[0-9]+$ && "$s" -gt 0 ]] || die "a size is a whole number of MB, not '$s'"
done
for t in "${THREAD_LIST[@]}"; do [[ "$t" =~ ^[0-9]+$ && "$t" -gt 0 ]] || die "a thread count is a whole number, not '$t'"; done
if [ ${#SIZE_LIST[@]} -eq 0 ] || [ ${#THREAD_LIST[@]} -eq 0 ]; then die "no sizes or no thread counts"; fi
# Sizes in ascending order, each once.
mapfile -t SIZE_LIST < <(printf '%s\n' "${SIZE_LIST[@]}" | sort -n -u)
[ -x /usr/bin/time ] || die "/usr/bin/time is needed (apt-get install time)"
command -v python3 >/dev/null || die "python3 is needed to build the corpora"

SOURCES=("$ROOT/texts" "${SOURCES[@]}")
[ "$USE_SHARED" = 1 ] && [ -d "$SHARED_LITERARY" ] && SOURCES+=("$SHARED_LITERARY")
for i in "${!SOURCES[@]}"; do
  [ -d "${SOURCES[$i]}" ] || die "source folder ${SOURCES[$i]} does not exist"
  SOURCES[i]="$(cd "${SOURCES[$i]}" && pwd)"
done
[ -d "$PEERS_DIR" ] && PEERS_DIR="$(cd "$PEERS_DIR" && pwd)"
mkdir -p "$WORK/out" "$WORK/logs"
WORK="$(cd "$WORK" && pwd)"

# ---------------------------------------------------------------------------------------------------- binary
if [ -z "$BIN" ] && [ "$CORPUS_ONLY" = 0 ]; then
  echo "== cargo build --release"
  # Cargo names the binary it built (wherever CARGO_TARGET_DIR or .cargo/config puts it); diagnostics go to stderr.
  BIN="$(cd "$ROOT" && cargo build --release --message-format=json-render-diagnostics |
    python3 -c '
import json, sys
exe = ""
for line in sys.stdin:
    try: m = json.loads(line)
    except ValueError: continue
    if m.get("reason") == "compiler-artifact" and m.get("target", {}).get("name") == "marginalia" and m.get("executable"):
        exe = m["executable"]
print(exe)')"
  if [ -z "$BIN" ]; then
    tdir="${CARGO_TARGET_DIR:-target}"
    case "$tdir" in /*) ;; *) tdir="$ROOT/$tdir" ;; esac
    BIN="$tdir/release/marginalia"
  fi
fi

# ---------------------------------------------------------------------------------------------------- corpora
# build_corpus SIZE_MB: makes WORK/corpus-<SIZE>MB and its manifest WORK/corpus-<SIZE>MB.json (JSON: bytes,
# documents, ...) unless they exist for the same sources.
build_corpus() {
  python3 - "$1" "$WORK" "$REBUILD" "${SOURCES[@]}" <<'PY'
import hashlib, json, os, re, shutil, sys, time

GENERATOR = 1                      # bump when the layout or the cutting changes: corpora are rebuilt
DOC_BYTES = 10_000                 # a review-sized document
PER_FOLDER = 100                   # documents per leaf folder
size_mb, work, rebuild, sources = int(sys.argv[1]), sys.argv[2], sys.argv[3] == "1", sys.argv[4:]
target = size_mb * 1_000_000
name = f"corpus-{size_mb}MB"
final, manifest_path = os.path.join(work, name), os.path.join(work, name + ".json")

files = []
for src in sources:
    src = os.path.realpath(src)
    for root, dirs, fns in os.walk(src):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        files += [os.path.join(root, f) for f in sorted(fns)
                  if not f.startswith(".") and f.endswith((".txt", ".md"))]
if not files:
    sys.exit("corpus.sh: no .txt or .md files in " + ", ".join(sources))
key = hashlib.sha256(json.dumps([GENERATOR, DOC_BYTES, PER_FOLDER, target,
                                 [(f, os.path.getsize(f), int(os.path.getmtime(f))) for f in files]]).encode()).hexdigest()
if not rebuild and os.path.isdir(final) and os.path.exists(manifest_path):
    try:
        if json.load(open(manifest_path)).get("key") == key:
            print(f"   {name}: reusing {final}")
            sys.exit(0)
    except ValueError:
        pass

start = time.time()
# Each book: its paragraphs (blank-line separated, as written); a paragraph longer than a document (Milton's
# books are single paragraphs of 50 KB) is cut at line ends into pieces of about a document.
books, seen = [], {}
for f in files:
    raw = open(f, "rb").read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    paras = []
    for p in re.split(r"\n[ \t]*\n", text):
        p = p.strip("\n")
        if not p.strip():
            continue
        if len(p) <= DOC_BYTES * 3 // 2:
            paras.append(p)
            continue
        piece, n = [], 0
        for line in p.split("\n"):
            piece.append(line); n += len(line) + 1
            if n >= DOC_BYTES:
                paras.append("\n".join(piece)); piece, n = [], 0
        if piece:
            paras.append("\n".join(piece))
    if not paras:
        continue
    book = re.sub(r"[^A-Za-z0-9_-]+", "-", os.path.splitext(os.path.basename(f))[0]).strip("-") or "book"
    seen[book] = seen.get(book, 0) + 1
    if seen[book] > 1:                       # the same file name in two source folders
        book = f"{book}-{seen[book]}"
    books.append((book, paras))

def cut(paras, size):
    """Paragraphs grouped into documents of at least `size` characters (the last may be shorter)."""
    docs, cur, n = [], [], 0
    for p in paras:
        cur.append(p); n += len(p) + 2
        if n >= size:
            docs.append("\n\n".join(cur)); cur, n = [], 0
    if cur and docs and n < size // 4:       # a short end of the book goes with the document before it
        docs[-1] += "\n\n" + "\n\n".join(cur)
    elif cur:
        docs.append("\n\n".join(cur))
    return docs

tmp = final + ".partial"
shutil.rmtree(tmp, ignore_errors=True)
os.makedirs(tmp)
written = ndocs = copy = 0
per_book = {}                                # book -> documents written so far (for its folder numbers)
made = set()
while written < target:
    copy += 1
    # Every copy is cut at different paragraph boundaries (documents of 8.5 to 11.5 KB, 10 KB on average), so
    # copies differ in more than their header line.
    size = DOC_BYTES if copy == 1 else int(DOC_BYTES * (0.85 + 0.3 * ((copy * 7) % 11) / 10))
    parts = [(book, cut(paras, size)) for book, paras in books]
    # Books in turn, one document each, so that a corpus smaller than one copy still has every book in it.
    for m in range(max(len(d) for _, d in parts)):
        for book, docs in parts:
            if m >= len(docs) or written >= target:
                continue
            k = per_book.get(book, 0)
            per_book[book] = k + 1
            folder = os.path.join(tmp, book, f"{book}-{k // PER_FOLDER + 1:03d}")
            if folder not in made:
                os.makedirs(folder); made.add(folder)
            data = f"Copy {copy} of {book} part {m + 1}.\n\n{docs[m]}\n".encode("utf-8")
            with open(os.path.join(folder, f"copy{copy:03d}-part{m + 1:04d}.txt"), "wb") as out:
                out.write(data)
            written += len(data); ndocs += 1
        if written >= target:
            break

shutil.rmtree(final, ignore_errors=True)
os.rename(tmp, final)
seconds = time.time() - start
json.dump({"key": key, "size_mb": size_mb, "bytes": written, "documents": ndocs, "books": len(books),
           "folders": len(made), "copies": copy, "seconds": round(seconds, 2), "sources": sources},
          open(manifest_path, "w"), indent=1)
print(f"   {name}: {ndocs:,} documents, {written / 1e6:.1f} MB, {len(books)} book{'' if len(books) == 1 else 's'}, {len(made):,} folders, "
      f"{copy} cop{'y' if copy == 1 else 'ies'}; built in {seconds:.1f} s")
PY
}

manifest_field() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }

echo "== corpora in $WORK (sources: ${SOURCES[*]})"
for s in "${SIZE_LIST[@]}"; do build_corpus "$s"; done
[ "$CORPUS_ONLY" = 0 ] || exit 0

# Free space: the corpora are there already; the largest run's tables need about 12 times its corpus.
largest="${SIZE_LIST[${#SIZE_LIST[@]}-1]}"
free_mb="$(df -Pk "$WORK" | awk 'NR == 2 { printf "%d", $4 / 1000 }')"
if [ "$free_mb" -lt $((largest * 13)) ]; then
  echo "warning: $free_mb MB free in $WORK; the $largest MB run writes about $((largest * 12)) MB of tables"
fi

[ -x "$BIN" ] || die "no marginalia binary at $BIN"
VERSION="$("$BIN" --version 2>/dev/null || echo marginalia)"
COMMIT="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if ! git -C "$ROOT" diff --quiet HEAD 2>/dev/null; then COMMIT="$COMMIT+dirty"; fi

# The help is read whole before grep sees it: `BIN ... | grep -q` under pipefail fails when grep stops reading early.
ANALYZE_HELP="$("$BIN" analyze --help 2>/dev/null || true)"
HAS_THREADS=0
if grep -q -- --threads <<< "$ANALYZE_HELP"; then
  HAS_THREADS=1
else
  echo "note: this binary has no --threads; the thread count is set by RAYON_NUM_THREADS only"
fi
QUIET_FLAG=()
if grep -q -- --quiet <<< "$ANALYZE_HELP"; then
  QUIET_FLAG=(--quiet)
else
  echo "note: this binary has no --quiet; its messages go to $WORK/logs/*.stderr"
fi

# ---------------------------------------------------------------------------------------------------- timing
# time_file -> "WALL_SECONDS PEAK_RSS_MIB" from a /usr/bin/time -v report.
parse_time() {
  awk -F': ' '
    /Elapsed \(wall clock\)/ { n = split($NF, p, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + p[i] }
    /Maximum resident set size/ { r = $NF / 1024 }
    END { printf "%.2f %.1f\n", w, r }' "$1"
}

RESULTS="$WORK/results.csv"
[ -s "$RESULTS" ] ||
  echo "timestamp,tool,version,commit,size_mb,threads,corpus_bytes,documents,wall_s,mb_per_s,docs_per_s,peak_rss_mib,speedup,exit_status" > "$RESULTS"
STAMP="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
FAILED=0
declare -A SECS MBPS

FIRST_T="${THREAD_LIST[0]}"
HEADER="$(printf '%-10s %7s %9s %9s %11s %13s %9s' size threads seconds MB/s docs/s "peak RSS MiB" speedup)"
echo
echo "== $VERSION ($COMMIT), $BIN"
echo "$HEADER"
for s in "${SIZE_LIST[@]}"; do
  corpus="$WORK/corpus-${s}MB"
  bytes="$(manifest_field "$corpus.json" bytes)"
  docs="$(manifest_field "$corpus.json" documents)"
  for t in "${THREAD_LIST[@]}"; do
    out="$WORK/out/marginalia-${s}MB-t$t"
    log="$WORK/logs/marginalia-${s}MB-t$t"
    rm -rf "$out"
    flags=(--charts none "${QUIET_FLAG[@]}")
    if [ "$HAS_THREADS" = 1 ]; then flags+=(--threads "$t"); fi
    status=0
    RAYON_NUM_THREADS="$t" /usr/bin/time -v -o "$log.time" \
      "$BIN" analyze "$corpus" --out "$out" "${flags[@]}" > "$log.stdout" 2> "$log.stderr" || status=$?
    [ "$KEEP_OUTPUT" = 1 ] || rm -rf "$out"
    read -r wall rss < <(parse_time "$log.time")
    if [ "$status" != 0 ]; then
      FAILED=1
      printf '%-10s %7s  FAILED: exit status %s; last lines of %s:\n' "${s} MB" "$t" "$status" "$log.stderr"
      tail -n 15 "$log.stderr" | sed 's/^/    /'
      echo "$STAMP,marginalia,$VERSION,$COMMIT,$s,$t,$bytes,$docs,,,,,,$status" >> "$RESULTS"
      continue
    fi
    SECS[$s,$t]="$wall"
    mbps="$(awk -v b="$bytes" -v w="$wall" 'BEGIN { printf "%.2f", b / 1e6 / w }')"
    dps="$(awk -v d="$docs" -v w="$wall" 'BEGIN { printf "%.0f", d / w }')"
    MBPS[$s,$t]="$mbps"
    speedup=""
    if [ "$t" != "$FIRST_T" ] && [ -n "${SECS[$s,$FIRST_T]:-}" ]; then
      speedup="$(awk -v a="${SECS[$s,$FIRST_T]}" -v b="$wall" 'BEGIN { printf "%.2f", a / b }')"
    fi
    printf '%-10s %7s %9s %9s %11s %13s %9s\n' "${s} MB" "$t" "$wall" "$mbps" "$dps" "$rss" "${speedup:+${speedup}x}" |
      sed 's/ *$//'
    echo "$STAMP,marginalia,$VERSION,$COMMIT,$s,$t,$bytes,$docs,$wall,$mbps,$dps,$rss,$speedup,0" >> "$RESULTS"
  done
done

# Linearity: the time ratio between successive sizes against the size ratio (10x sizes: at most 11x the time).
prev=""
for s in "${SIZE_LIST[@]}"; do
  if [ -n "$prev" ]; then
    for t in "${THREAD_LIST[@]}"; do
      if [ -z "${SECS[$prev,$t]:-}" ] || [ -z "${SECS[$s,$t]:-}" ]; then continue; fi
      awk -v a="${SECS[$prev,$t]}" -v b="${SECS[$s,$t]}" -v p="$prev" -v s="$s" -v t="$t" 'BEGIN {
        r = b / a; lim = 1.1 * s / p
        printf "linearity %s MB -> %s MB, %s thread%s: %.2fx the time for %gx the text (target <= %.3g): %s\n",
          p, s, t, (t == 1 ? "" : "s"), r, s / p, lim, (r <= lim ? "ok" : "SLOWER THAN LINEAR") }'
    done
  fi
  prev="$s"
done

# ---------------------------------------------------------------------------------------------------- Python
if [ ${#PEER_SIZE_LIST[@]} -gt 0 ]; then
  echo
  if [ ! -f "$PEERS_DIR/nltk_pipeline.py" ]; then
    echo "Python baseline: skipped ($PEERS_DIR/nltk_pipeline.py not found)"
  elif [ ! -x "$PEERS_PY" ] || ! "$PEERS_PY" -c 'import nltk' 2>/dev/null; then
    echo "Python baseline: skipped (no python with nltk at $PEERS_PY); install it with $PEERS_DIR/setup_venv.sh (about 20 s, from PyPI)"
  else
    # The variant the README's 0.21 MB/s is for: NLTK Punkt sentences, words, Snowball stems, themes, VADER, quotes.
    read -r -a peer_args <<< "${PEERS_ARGS:---variant full --splitter punkt}"
    echo "== Python baseline: $PEERS_DIR/nltk_pipeline.py ${peer_args[*]} (one process, one core)"
    printf '%-10s %9s %9s %11s %13s   %s\n' size seconds MB/s docs/s "peak RSS MiB" "marginalia is ... x faster"
    for s in "${PEER_SIZE_LIST[@]}"; do
      corpus="$WORK/corpus-${s}MB"
      if [ ! -f "$corpus.json" ]; then build_corpus "$s"; fi
      bytes="$(manifest_field "$corpus.json" bytes)"
      docs="$(manifest_field "$corpus.json" documents)"
      out="$WORK/out/python-${s}MB"
      log="$WORK/logs/python-${s}MB"
      rm -rf "$out"; mkdir -p "$out"
      status=0
      /usr/bin/time -v -o "$log.time" "$PEERS_PY" "$PEERS_DIR/nltk_pipeline.py" "$corpus" --out "$out" \
        "${peer_args[@]}" > "$log.stdout" 2> "$log.stderr" || status=$?
      [ "$KEEP_OUTPUT" = 1 ] || rm -rf "$out"
      if [ "$status" != 0 ]; then
        FAILED=1
        printf '%-10s FAILED: exit status %s; last lines of %s:\n' "${s} MB" "$status" "$log.stderr"
        tail -n 15 "$log.stderr" | sed 's/^/    /'
        echo "$STAMP,python-nltk,${peer_args[*]},,$s,1,$bytes,$docs,,,,,,$status" >> "$RESULTS"
        continue
      fi
      read -r wall rss < <(parse_time "$log.time")
      mbps="$(awk -v b="$bytes" -v w="$wall" 'BEGIN { printf "%.3f", b / 1e6 / w }')"
      dps="$(awk -v d="$docs" -v w="$wall" 'BEGIN { printf "%.1f", d / w }')"
      ratios=""
      for t in "${THREAD_LIST[@]}"; do
        [ -n "${MBPS[$s,$t]:-}" ] || continue
        ratios+="$(awk -v m="${MBPS[$s,$t]}" -v p="$mbps" -v t="$t" -v f="$FIRST_T" 'BEGIN { printf "%s%.1fx (%s thread%s)", (t == f ? "" : ", "), m / p, t, (t == 1 ? "" : "s") }')"
      done
      printf '%-10s %9s %9s %11s %13s   %s\n' "${s} MB" "$wall" "$mbps" "$dps" "$rss" "${ratios:-(marginalia not run at this size)}"
      echo "$STAMP,python-nltk,${peer_args[*]},,$s,1,$bytes,$docs,$wall,$mbps,$dps,$rss,,0" >> "$RESULTS"
    done
  fi
fi

echo
echo "results appended to $RESULTS; logs in $WORK/logs"
exit "$FAILED"
