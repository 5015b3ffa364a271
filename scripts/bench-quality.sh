#!/usr/bin/env bash
# Scores thresh on the development benchmark (../shared/bench, or $THRESH_BENCH) with its
# score.py: token precision/recall/F1, content kept and debris kept, for the aeb and tfeval sets.
#
#   scripts/bench-quality.sh              default settings
#   scripts/bench-quality.sh --ablation   also: no cleaning at all, rules only, no line
#                                         model, and each heuristic switched off in turn
#   scripts/bench-quality.sh -- ARGS      pass ARGS to `thresh clean` (e.g. --ignore nav)
set -euo pipefail
cd "$(dirname "$0")/.."
bench=${THRESH_BENCH:-../shared/bench}
if [ ! -f "$bench/score.py" ]; then
  echo "bench-quality: no benchmark at $bench (set THRESH_BENCH)" >&2
  exit 2
fi
ablation=0
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --ablation) ablation=1 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "bench-quality: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

cargo build --release --quiet
bin=target/release/thresh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# score NAME [thresh clean args...]: one row per set.
score() {
  local name=$1; shift
  for set in aeb tfeval; do
    "$bin" clean "$bench/$set/input" -o "$tmp/$name/$set" -q "$@"
    python3 "$bench/score.py" --gold "$bench/$set/gold" --out "$tmp/$name/$set" \
      --name "$name/$set" | sed -n '3p'
  done
}

header=$(python3 "$bench/score.py" --gold "$bench/aeb/gold" --out "$bench/aeb/input" --name x | sed -n '1p')
echo "$header"
python3 "$bench/score.py" --gold "$bench/aeb/gold" --out "$bench/aeb/input" --name identity/aeb | sed -n '3p'
python3 "$bench/score.py" --gold "$bench/tfeval/gold" --out "$bench/tfeval/input" --name identity/tfeval | sed -n '3p'
score default "${extra[@]}"
if [ "$ablation" = 1 ]; then
  score rules-only --ignore heuristic,model "${extra[@]}"
  score no-model --ignore model "${extra[@]}"
  for h in $("$bin" rules list --select heuristic | awk '{print $1}'); do
    score "no-${h#heuristic/}" --ignore "$h" "${extra[@]}"
  done
fi
echo "(aeb columns: $header)"
echo "(tfeval columns: system docs P R F1 debris kept with without empty miss)"
