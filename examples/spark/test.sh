#!/usr/bin/env bash
# Runs examples/spark/thresh_spark.py in Spark local mode (local[2]) on a few hundred generated
# documents and checks, byte for byte, that
#   1. cleaning JSONL on Spark equals `thresh clean --jsonl` on one machine;
#   2. corpus mode on Spark (partial tables per partition, merged by a treeReduce) gives the
#      same table as `thresh corpus-stats --jsonl`, and the same records as
#      `thresh clean --jsonl --corpus-stats` with it;
#   3. corpus mode on a folder of text files (wholeTextFiles, tables merged on the driver)
#      gives the same texts as `thresh clean --corpus` on the folder.
#
# Needs Java 17+ and pyspark. When either is missing it says so and exits 0 (skipped), unless
# THRESH_SPARK_REQUIRED=1. With THRESH_SPARK_INSTALL=1 (set by .ci/run) a missing pyspark is
# installed from PyPI into target/spark-venv first.
#
#   examples/spark/test.sh            # PYTHON=... to choose the Python that has pyspark
set -euo pipefail
cd "$(dirname "$0")/../.."
start=$SECONDS

skip() {
  echo "SKIPPED: the Spark example test: $1"
  if [ "${THRESH_SPARK_REQUIRED:-0}" = 1 ]; then
    exit 1
  fi
  exit 0
}

command -v java >/dev/null 2>&1 || skip "no java on PATH (Spark needs Java 17 or newer)"
java_version=$(java -version 2>&1 | awk -F'"' '/version/ {print $2; exit}')
java_major=${java_version%%.*}
[ "${java_major:-0}" -ge 17 ] 2>/dev/null || skip "java $java_version is too old (Spark needs 17 or newer)"

PYTHON=${PYTHON:-python3}
venv=$PWD/target/spark-venv
if ! "$PYTHON" -c 'import pyspark' >/dev/null 2>&1; then
  if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import pyspark' >/dev/null 2>&1; then
    PYTHON=$venv/bin/python
  elif [ "${THRESH_SPARK_INSTALL:-0}" = 1 ]; then
    echo "installing pyspark into $venv"
    if ! { python3 -m venv "$venv" && "$venv/bin/pip" install --quiet --disable-pip-version-check 'pyspark==4.3.0'; }; then
      skip "pyspark could not be installed into $venv (no network?)"
    fi
    PYTHON=$venv/bin/python
  else
    skip "$PYTHON cannot import pyspark (pip install pyspark, set PYTHON, or THRESH_SPARK_INSTALL=1)"
  fi
fi
spark_submit=$(dirname "$PYTHON")/spark-submit
[ -x "$spark_submit" ] || spark_submit=$(command -v spark-submit || true)
[ -n "$spark_submit" ] || skip "no spark-submit beside $PYTHON or on PATH"
export PYSPARK_PYTHON=$PYTHON PYSPARK_DRIVER_PYTHON=$PYTHON

cargo build --release --locked --quiet
bin=$PWD/target/release/thresh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A few hundred documents, deterministic; 12 of them twice (other ids, same text), so that
# identical documents fall into different input partitions.
python3 scripts/gen-corpus.py "$work/gen" --mb 2 --seed 11 >/dev/null
"$PYTHON" - "$work/gen/corpus.jsonl" "$work/in.jsonl" <<'EOF'
import json, sys
records = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
copies = [{"id": f"copy-{r['id']}", "text": r["text"]} for r in records[:12]]
with open(sys.argv[2], "w", encoding="utf-8") as f:
    for r in records + copies:
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
EOF
docs=$(wc -l <"$work/in.jsonl")
echo "spark test: $docs JSONL records, $(find "$work/gen/files" -type f | wc -l) text files"

# One machine.
"$bin" clean --jsonl "$work/in.jsonl" -q >"$work/expected-plain.jsonl"
"$bin" corpus-stats --jsonl "$work/in.jsonl" -o "$work/expected.tsv" -q
"$bin" clean --jsonl "$work/in.jsonl" --corpus-stats "$work/expected.tsv" -q >"$work/expected-corpus.jsonl"
"$bin" clean "$work/gen/files" --corpus -o "$work/expected-files" -q
if cmp -s "$work/expected-plain.jsonl" "$work/expected-corpus.jsonl"; then
  echo "FAILED: corpus mode changes nothing on the test corpus; the comparison would prove nothing" >&2
  exit 1
fi

spark() {
  "$spark_submit" --master 'local[2]' --conf spark.ui.enabled=false \
    examples/spark/thresh_spark.py --thresh "$bin" --partitions 4 "$@" \
    >"$work/spark.log" 2>&1 || { tail -40 "$work/spark.log" >&2; echo "FAILED: spark-submit $*" >&2; exit 1; }
}

fail=0
check() { # NAME EXPECTED GOT
  if cmp -s "$2" "$3"; then
    echo "ok: $1"
  else
    echo "FAILED: $1: $3 differs from $2" >&2
    diff <(head -c 2000 "$2") <(head -c 2000 "$3") | head -20 >&2 || true
    fail=1
  fi
}

spark --input "$work/in.jsonl" --output "$work/out-plain"
cat "$work"/out-plain/part-* >"$work/spark-plain.jsonl"
check "Spark clean = thresh clean --jsonl" "$work/expected-plain.jsonl" "$work/spark-plain.jsonl"

spark --input "$work/in.jsonl" --output "$work/out-corpus" --corpus --merge tree \
  --table-out "$work/spark.tsv"
check "Spark corpus table (treeReduce of partial tables) = thresh corpus-stats" \
  "$work/expected.tsv" "$work/spark.tsv"
cat "$work"/out-corpus/part-* >"$work/spark-corpus.jsonl"
check "Spark corpus clean = thresh clean --jsonl --corpus-stats" \
  "$work/expected-corpus.jsonl" "$work/spark-corpus.jsonl"

spark --input-format text --input "$work/gen/files" --output "$work/out-files" --corpus \
  --merge driver --table-out "$work/spark-files.tsv"
"$PYTHON" - "$work/out-files" "$work/expected-files" "$work/spark-files" <<'EOF'
import glob, json, os, sys
out, expected, got = sys.argv[1:]
for part in sorted(glob.glob(os.path.join(out, "part-*"))):
    for line in open(part, encoding="utf-8"):
        r = json.loads(line)
        # "file:/…/gen/files/003/003141.txt" → "003/003141.txt"
        rel = os.path.join(*r["id"].split("/")[-2:])
        os.makedirs(os.path.join(got, os.path.dirname(rel)), exist_ok=True)
        with open(os.path.join(got, rel), "w", encoding="utf-8", newline="") as f:
            f.write(r["text"])
EOF
if diff -r "$work/expected-files" "$work/spark-files" >/dev/null; then
  echo "ok: Spark corpus clean of a text folder (wholeTextFiles, merged on the driver) = thresh clean --corpus"
else
  echo "FAILED: Spark corpus clean of the text folder differs from thresh clean --corpus" >&2
  diff -r "$work/expected-files" "$work/spark-files" | head -20 >&2 || true
  fail=1
fi

# Bad records: a non-object record at input line 5. Without --skip-bad the job fails naming
# the input's line (not the partition's); with it, the good records come out as on one
# machine, in corpus mode too (where a non-object record once crashed the key function).
"$PYTHON" - "$work/in.jsonl" "$work/bad.jsonl" <<'EOF2'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines(True)[:40]
lines.insert(4, "[1, 2]\n")
open(sys.argv[2], "w", encoding="utf-8").write("".join(lines))
EOF2
if "$spark_submit" --master 'local[2]' --conf spark.ui.enabled=false \
    examples/spark/thresh_spark.py --thresh "$bin" --partitions 4 \
    --input "$work/bad.jsonl" --output "$work/out-bad" >"$work/spark-bad.log" 2>&1; then
  echo "FAILED: a bad record did not fail the job" >&2
  fail=1
elif grep -q "input line 5: malformed JSON" "$work/spark-bad.log"; then
  echo "ok: a bad record fails the job, named by its input line"
else
  echo "FAILED: the bad record's message does not name input line 5:" >&2
  grep -m3 "malformed" "$work/spark-bad.log" >&2 || tail -5 "$work/spark-bad.log" >&2
  fail=1
fi
"$bin" clean --jsonl "$work/bad.jsonl" --skip-bad -q >"$work/expected-bad.jsonl" || true
spark --input "$work/bad.jsonl" --output "$work/out-skip" --skip-bad
cat "$work"/out-skip/part-* >"$work/spark-skip.jsonl"
check "Spark clean --skip-bad = thresh clean --jsonl --skip-bad" \
  "$work/expected-bad.jsonl" "$work/spark-skip.jsonl"
"$bin" corpus-stats --jsonl "$work/bad.jsonl" --skip-bad -q -o "$work/bad.tsv" || true
"$bin" clean --jsonl "$work/bad.jsonl" --skip-bad -q --corpus-stats "$work/bad.tsv" \
  >"$work/expected-bad-corpus.jsonl" || true
spark --input "$work/bad.jsonl" --output "$work/out-skip-corpus" --skip-bad --corpus
cat "$work"/out-skip-corpus/part-* >"$work/spark-skip-corpus.jsonl"
check "Spark corpus clean --skip-bad = thresh clean --jsonl --corpus-stats --skip-bad" \
  "$work/expected-bad-corpus.jsonl" "$work/spark-skip-corpus.jsonl"

[ "$fail" = 0 ] || exit 1
echo "spark test: passed in $((SECONDS - start)) s (pyspark $("$PYTHON" -c 'import pyspark; print(pyspark.__version__)'), java $java_version)"
