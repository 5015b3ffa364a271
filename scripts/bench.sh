#!/usr/bin/env bash
# Whole-program benchmark: thresh against the cost of copying the files, on a generated corpus
# (scripts/gen-corpus.py, fixed seed) kept on tmpfs. Each figure is the median of --runs runs;
# peak RSS is the largest of them. Ratios compare with `cp -r` measured in the same run, so
# they hold when the machine drifts.
#
# The generated corpus repeats a small vocabulary; --pages DIR adds two rows measured on a folder
# of real scraped pages (copied to tmpfs first): the copy floor and thresh -j 2 on it.
#
# With the minimal cleaner of ../shared/perf-floor (or $THRESH_PERF_FLOOR) present, it is built
# and run in the same run at 1 and 2 threads, and each thresh row is also given as a share of
# its throughput (-j 1 against the floor at 1 thread, every other row against 2 threads).
# A row with --ignore model shows what the line model costs.
#
#   scripts/bench.sh [--runs 3] [--mb 200] [--dir /dev/shm/thresh-bench] [--pages DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=3
mb=200
dir=/dev/shm/thresh-bench
pages=
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift ;;
    --mb) mb=$2; shift ;;
    --dir) dir=$2; shift ;;
    --pages) pages=$2; shift ;;
    *) echo "bench: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
command -v /usr/bin/time >/dev/null || { echo "bench: needs GNU time (/usr/bin/time)" >&2; exit 2; }

cargo build --release --quiet
bin=$PWD/target/release/thresh
floor_src=${THRESH_PERF_FLOOR:-../shared/perf-floor}
floor_bin=
if [ -f "$floor_src/Cargo.toml" ]; then
  cargo build --release --quiet --manifest-path "$floor_src/Cargo.toml" --target-dir target/perf-floor
  floor_bin=$PWD/target/perf-floor/release/perf-floor
  phrases=$(cd "$floor_src" && pwd)/phrases.txt
fi
corpus=$dir/corpus
# The stamp names the corpus layout too: an older corpus is rebuilt.
if [ ! -f "$corpus/.mb-$mb-v3" ]; then
  rm -rf "$corpus"
  python3 scripts/gen-corpus.py "$corpus" --mb "$mb"
  touch "$corpus/.mb-$mb-v3"
fi
if [ -n "$pages" ]; then
  [ -d "$pages" ] || { echo "bench: --pages $pages is not a folder" >&2; exit 2; }
  rm -rf "$dir/pages"
  cp -r "$pages" "$dir/pages"
  pages_mb=$(du -sb "$dir/pages" | awk '{print $1/1e6}')
  echo "pages: $(find "$dir/pages" -type f | wc -l) files, $pages_mb MB, from $pages"
fi
out=$dir/out
files_mb=$(du -sb "$corpus/files" | awk '{print $1/1e6}')
single_mb=$(stat -c %s "$corpus/single.txt" | awk '{print $1/1e6}')
jsonl_mb=$(stat -c %s "$corpus/corpus.jsonl" | awk '{print $1/1e6}')
nfiles=$(find "$corpus/files" -type f | wc -l)
echo "corpus: $nfiles files, $files_mb MB (folder); $single_mb MB (single file); $jsonl_mb MB (JSONL); outputs on $(df --output=fstype "$dir" | tail -1)"
echo "machine: $(nproc) cores; $runs runs each, median"

# measure NAME MB CMD...: prints "NAME seconds peak_rss_kb"
measure() {
  local name=$1 size=$2; shift 2
  local times=() rss=0
  for _ in $(seq "$runs"); do
    rm -rf "$out"; mkdir -p "$out"
    sync
    local r stats
    stats=$(mktemp)
    /usr/bin/time -o "$stats" -f "%e %M" "$@" >/dev/null 2>&1
    r=$(tail -1 "$stats")
    rm -f "$stats"
    times+=("${r% *}")
    local k=${r#* }
    [ "$k" -gt "$rss" ] && rss=$k
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$name $size $median $rss"
}

results=$(
  measure "cp -r (floor)" "$files_mb" cp -r "$corpus/files" "$out/files"
  measure "thresh -j 1" "$files_mb" "$bin" clean "$corpus/files" -o "$out/files" -q -j 1
  measure "thresh -j 2" "$files_mb" "$bin" clean "$corpus/files" -o "$out/files" -q -j 2
  measure "thresh -j 2 no model" "$files_mb" "$bin" clean "$corpus/files" -o "$out/files" -q -j 2 --ignore model
  measure "thresh --corpus -j 2" "$files_mb" "$bin" clean "$corpus/files" -o "$out/files" -q -j 2 --corpus
  measure "thresh single file" "$single_mb" sh -c "'$bin' clean '$corpus/single.txt' > '$out/single.txt'"
  measure "single file --split-on" "$single_mb" sh -c "'$bin' clean '$corpus/single.txt' --split-on '^\\f\$' > '$out/single.txt'"
  measure "thresh --jsonl -j 2" "$jsonl_mb" "$bin" clean --jsonl "$corpus/corpus.jsonl" -o "$out/corpus.jsonl" -q -j 2
)
# table RESULTS: one row per measurement, each compared with the first (its copy floor)
table() {
  floor=$(echo "$1" | awk -F' ' 'NR==1 {print $(NF-1)}')
  echo "$1" | while read -r line; do
    rss=$(echo "$line" | awk '{print $NF}')
    secs=$(echo "$line" | awk '{print $(NF-1)}')
    size=$(echo "$line" | awk '{print $(NF-2)}')
    name=$(echo "$line" | awk '{$NF=""; $(NF-1)=""; $(NF-2)=""; print}' | sed 's/ *$//')
    awk -v n="$name" -v s="$secs" -v m="$size" -v r="$rss" -v f="$floor" \
      'BEGIN { printf "%-24s %9.2f %9.1f %7.0f MB %12.2f\n", n, s, (s > 0 ? m / s : 0), r / 1024, (f > 0 ? s / f : 0) }'
  done
}
printf '%-24s %9s %9s %10s %12s\n' "run" "seconds" "MB/s" "peak RSS" "x copy time"
table "$results"
if [ -n "$floor_bin" ]; then
  # perf-floor reads the files of one folder, not below it: the same files, hard-linked flat.
  flat=$dir/flat
  if [ ! -f "$corpus/.flat" ] || [ ! -d "$flat" ]; then
    rm -rf "$flat"; mkdir -p "$flat"
    (cd "$corpus/files" && find . -type f) | while read -r f; do
      ln "$corpus/files/$f" "$flat/$(echo "${f#./}" | tr / _)"
    done
    touch "$corpus/.flat"
  fi
  floor=$(
    export RAYON_NUM_THREADS=1
    measure "perf-floor 1 thread" "$files_mb" "$floor_bin" "$flat" "$out/files" "$phrases"
    export RAYON_NUM_THREADS=2
    measure "perf-floor 2 threads" "$files_mb" "$floor_bin" "$flat" "$out/files" "$phrases"
  )
  f1=$(echo "$floor" | awk 'NR==1 {print $(NF-2) / $(NF-1)}')
  f2=$(echo "$floor" | awk 'NR==2 {print $(NF-2) / $(NF-1)}')
  echo
  printf '%-24s %9s %9s\n' "same run, minimal cleaner" "MB/s" ""
  echo "$floor" | awk '{ s=$(NF-1); m=$(NF-2); $NF=""; $(NF-1)=""; $(NF-2)=""; printf "%-24s %9.1f\n", $0, m / s }'
  echo
  printf '%-24s %9s\n' "thresh / perf-floor" "ratio"
  echo "$results" | while read -r line; do
    secs=$(echo "$line" | awk '{print $(NF-1)}')
    size=$(echo "$line" | awk '{print $(NF-2)}')
    name=$(echo "$line" | awk '{$NF=""; $(NF-1)=""; $(NF-2)=""; print}' | sed 's/ *$//')
    case "$name" in
      "cp -r (floor)") continue ;;
      "thresh -j 1") ref=$f1 ;;
      *) ref=$f2 ;;
    esac
    awk -v n="$name" -v s="$secs" -v m="$size" -v r="$ref" \
      'BEGIN { printf "%-24s %8.2fx\n", n, (s > 0 && r > 0 ? (m / s) / r : 0) }'
  done
fi
if [ -n "$pages" ]; then
  table "$(
    measure "pages: cp -r (floor)" "$pages_mb" cp -r "$dir/pages" "$out/pages"
    measure "pages: thresh -j 2" "$pages_mb" "$bin" clean "$dir/pages" -o "$out/pages" -q -j 2
  )"
fi
rm -rf "$out"
