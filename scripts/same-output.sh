#!/usr/bin/env bash
# Checks that two thresh binaries clean identically: the same output bytes and the same
# verdict for every line (the JSON report), on the seeds, every fixture input and both
# development benchmark sets (../shared/bench, or $THRESH_BENCH), at -j1 and -j2.
#
#   scripts/same-output.sh OLD_BINARY [NEW_BINARY]
#
# NEW_BINARY defaults to target/release/thresh (built here). A refactoring is done when this
# prints no difference. Exits 1 when anything differs.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: scripts/same-output.sh OLD_BINARY [NEW_BINARY]" >&2
  exit 2
fi
old=$(realpath "$1")
if [ $# -eq 2 ]; then
  new=$(realpath "$2")
else
  cargo build --release --quiet
  new=$(realpath target/release/thresh)
fi
bench=${THRESH_BENCH:-../shared/bench}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The fixture inputs, flat, under their family's name.
mkdir -p "$tmp/fixtures"
for f in fixtures/*/*.in.txt; do
  fam=$(basename "$(dirname "$f")")
  cp "$f" "$tmp/fixtures/$fam--$(basename "$f")"
done
sets=(seeds "$tmp/fixtures")
names=(seeds fixtures)
for s in aeb tfeval; do
  if [ -d "$bench/$s/input" ]; then
    sets+=("$bench/$s/input")
    names+=("$s")
  else
    echo "same-output: no $bench/$s/input (set THRESH_BENCH); skipped" >&2
  fi
done

status=0
for i in "${!sets[@]}"; do
  set=${sets[$i]} name=${names[$i]}
  n=$(find "$set" -type f | wc -l)
  for j in 1 2; do
    for side in old new; do
      bin=$old
      [ "$side" = new ] && bin=$new
      out="$tmp/$side-$name-j$j"
      "$bin" clean "$set" -o "$out" -q -j "$j" --isolated
      "$bin" clean "$set" --check --format json -j "$j" --isolated >"$out.json" || true
    done
    files=$(diff -rq "$tmp/old-$name-j$j" "$tmp/new-$name-j$j" | wc -l || true)
    if cmp -s "$tmp/old-$name-j$j.json" "$tmp/new-$name-j$j.json"; then verdicts=same; else verdicts=different; fi
    printf '%-9s %5d files  -j%d  outputs differing: %d  verdicts: %s\n' "$name" "$n" "$j" "$files" "$verdicts"
    if [ "$files" != 0 ] || [ "$verdicts" != same ]; then status=1; fi
  done
done
exit $status
