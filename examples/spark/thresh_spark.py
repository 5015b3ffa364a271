#!/usr/bin/env python3
"""Clean a corpus with thresh on Apache Spark.

Each partition is piped through one `thresh` process, shipped to the executors with
SparkContext.addFile (or spark-submit --files). Records come back in input order, every
field but the text as it was.

    spark-submit thresh_spark.py --thresh target/release/thresh \\
        --input corpus.jsonl --output cleaned            # JSONL in, JSONL out
    spark-submit thresh_spark.py --thresh ... --input-format text \\
        --input pages/ --output cleaned                  # a folder of text files (wholeTextFiles)
    spark-submit thresh_spark.py --thresh ... --input corpus.jsonl \\
        --output cleaned --corpus --table-out corpus.tsv # corpus mode, the Spark way

Corpus mode: pass 1 runs `thresh corpus-stats --jsonl -` on every partition, which gives a
partial table per partition; the partial tables are merged into one with
`thresh corpus-stats merge` (by a Spark treeReduce on the executors, or on the driver with
--merge driver); the table is shipped to the executors, and pass 2 runs
`thresh clean --jsonl - --corpus-stats TABLE` on every partition. Before pass 1, records are
grouped by a hash of their text, so identical documents are counted in the same partition,
once, as on one machine. See README.md beside this file and docs/corpus-stats.md.
"""

import argparse
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import zlib

from pyspark import SparkFiles
from pyspark.sql import SparkSession

BINARY = "thresh"
TABLE = "thresh-corpus-stats.tsv"


def executable(name):
    """The path of a file shipped with addFile, made executable (addFile may drop the bit)."""
    path = SparkFiles.get(name)
    mode = os.stat(path).st_mode
    if not mode & stat.S_IXUSR:
        os.chmod(path, mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


STDIN_LINE = re.compile(r"<stdin>:(\d+)")


def pipe(args, lines, numbers=None, skip_bad=False):
    """Runs thresh ARGS with `lines` (str, without newlines) on its standard input, one a
    line, and yields its standard output line by line (without newlines). A failing thresh
    fails the task with its error message. `numbers`, when given, is filled with each line's
    number in the whole input as it is fed, so that messages name the input's line instead of
    the partition's (`<stdin>:2` is the partition's second record). With `skip_bad`, records
    thresh skipped (exit 2 and only "(skipped)" messages) are reported on standard error and
    the task goes on."""
    proc = subprocess.Popen(
        [executable(BINARY)] + args,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    errors = []

    def feed():
        try:
            for line in lines:
                proc.stdin.write(line.encode("utf-8"))
                proc.stdin.write(b"\n")
        except BrokenPipeError:
            pass  # thresh stopped early; its exit code says why
        finally:
            try:
                proc.stdin.close()
            except BrokenPipeError:
                pass

    def drain():
        errors.append(proc.stderr.read())

    writer = threading.Thread(target=feed, daemon=True)
    reader = threading.Thread(target=drain, daemon=True)
    writer.start()
    reader.start()
    for out in proc.stdout:
        yield out.decode("utf-8").rstrip("\n")
    writer.join()
    reader.join()
    code = proc.wait()
    message = b"".join(errors).decode("utf-8", "replace")
    if numbers is not None:
        # The partition's line N is the input's line numbers[N-1].
        def whole(m):
            n = int(m.group(1))
            return f"input line {numbers[n - 1]}" if 0 < n <= len(numbers) else m.group(0)

        message = STDIN_LINE.sub(whole, message)
    problems = [
        line for line in message.splitlines()
        if not line.endswith("(skipped)") and not line.startswith("thresh: cleaned ")
        and not line.startswith("thresh: counted ") and not line.endswith("bad records skipped")
    ]
    if code == 2 and skip_bad and not problems:
        if message:
            print(message, end="", file=sys.stderr)
        return
    if code != 0:
        raise RuntimeError(f"thresh {' '.join(args)} exited with {code}: {message}")


def read_records(spark, args):
    """The input as an RDD of JSONL records (str): JSONL as it is, or one record per text
    file, {"id": its path, "text": its contents}."""
    sc = spark.sparkContext
    if args.input_format == "jsonl":
        return sc.textFile(args.input, minPartitions=args.partitions)
    files = sc.wholeTextFiles(args.input, minPartitions=args.partitions)
    field = args.text_field
    return files.map(lambda kv: json.dumps({"id": kv[0], field: kv[1]}, ensure_ascii=False))


def text_hash(field):
    """A stable hash of a record's text (Python's own str hash differs between workers)."""

    def key(record):
        try:
            value = json.loads(record)
        except ValueError:
            value = None  # thresh reports the bad record
        # A record that is not an object (an array, a number) is thresh's to report too.
        text = value.get(field, "") if isinstance(value, dict) else record
        if not isinstance(text, str):
            text = record
        return zlib.crc32(text.encode("utf-8"))

    return key


def numbered(pairs, numbers):
    """The records of (record, index) `pairs`, noting each one's 1-based input line."""
    for record, index in pairs:
        numbers.append(index + 1)
        yield record


def through(args, pairs, skip_bad):
    """Pipes the (record, index) pairs of a partition through thresh ARGS."""
    numbers = []
    return pipe(args, numbered(pairs, numbers), numbers=numbers, skip_bad=skip_bad)


def corpus_table(spark, records, args, threads):
    """Pass 1: a partial table per partition, merged into one table file on the driver.
    `records` are (record, index) pairs."""
    field = ["--text-field", args.text_field]
    quiet = [] if args.skip_bad else ["-q"]
    skip = ["--skip-bad"] if args.skip_bad else []
    # Identical documents go to the same partition, so each is counted once, as on one
    # machine (`merge` would report them as shared otherwise).
    key = text_hash(args.text_field)
    grouped = records.keyBy(lambda pair: key(pair[0])).partitionBy(args.partitions).values()

    def partial(pairs):
        cmd = ["corpus-stats", "--jsonl", "-", "-j", threads] + quiet + skip + field
        table = "\n".join(through(cmd, pairs, args.skip_bad))
        yield table + "\n"

    partials = grouped.mapPartitions(partial)

    def merge(a, b):
        with tempfile.TemporaryDirectory() as tmp:
            pa, pb = os.path.join(tmp, "a.tsv"), os.path.join(tmp, "b.tsv")
            for path, text in ((pa, a), (pb, b)):
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
            return "\n".join(pipe(["corpus-stats", "merge", pa, pb, "-q"], iter(()))) + "\n"

    out = args.table_out or os.path.join(tempfile.mkdtemp(prefix="thresh-spark-"), TABLE)
    if args.merge == "tree":
        # merge is associative and order-independent, so any tree of merges gives the same
        # table, byte for byte.
        table = partials.treeReduce(merge, depth=2)
        with open(out, "w", encoding="utf-8") as f:
            f.write(table)
    else:
        # All partial tables to the driver, one streaming merge there.
        tmp = tempfile.mkdtemp(prefix="thresh-parts-")
        paths = []
        for i, text in enumerate(partials.collect()):
            paths.append(os.path.join(tmp, f"part-{i:05d}.tsv"))
            with open(paths[-1], "w", encoding="utf-8") as f:
                f.write(text)
        subprocess.run([args.thresh, "corpus-stats", "merge", *paths, "-o", out, "-q"], check=True)
        shutil.rmtree(tmp)
    with open(out, encoding="utf-8") as f:
        end = f.read().rstrip("\n").rsplit("\n", 1)[-1]
    if not end.endswith(" overcounted 0"):
        print(f"thresh_spark: warning: {out}: {end}: some documents were counted twice",
              file=sys.stderr)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--thresh", required=True, help="the thresh binary (shipped with addFile)")
    ap.add_argument("--input", required=True, help="a JSONL file or folder, or a folder of text files")
    ap.add_argument("--output", required=True, help="output folder (JSONL part files)")
    ap.add_argument("--input-format", choices=["jsonl", "text"], default="jsonl")
    ap.add_argument("--text-field", default="text")
    ap.add_argument("--partitions", type=int, default=4)
    ap.add_argument("--corpus", action="store_true", help="corpus mode (two passes and a table)")
    ap.add_argument("--merge", choices=["tree", "driver"], default="tree",
                    help="merge partial tables by a Spark treeReduce or on the driver")
    ap.add_argument("--table-out", help="where to keep the corpus table (corpus mode)")
    ap.add_argument("--threads", default="1",
                    help="thresh threads per task (Spark already runs tasks in parallel)")
    ap.add_argument("--skip-bad", action="store_true",
                    help="skip malformed records (reported in the executors' logs) instead of "
                         "failing the job")
    ap.add_argument("--master", help="Spark master, e.g. local[2] (default: spark-submit's)")
    args = ap.parse_args()

    builder = SparkSession.builder.appName("thresh")
    # wholeTextFiles walks sub-folders too, as thresh does.
    builder = builder.config(
        "spark.hadoop.mapreduce.input.fileinputformat.input.dir.recursive", "true"
    )
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    sc = spark.sparkContext
    # Ship the binary under a fixed name; tasks find it with SparkFiles.get.
    ship = os.path.join(tempfile.mkdtemp(prefix="thresh-bin-"), BINARY)
    shutil.copy2(args.thresh, ship)
    sc.addFile(ship)

    # Each record with its index in the input, so that messages name the input's line, not
    # the partition's.
    records = read_records(spark, args).zipWithIndex()
    clean = ["clean", "--jsonl", "-", "-j", args.threads, "--text-field", args.text_field]
    clean += ["--skip-bad"] if args.skip_bad else ["-q"]
    skip_bad = args.skip_bad
    if args.corpus:
        table = corpus_table(spark, records, args, args.threads)
        sc.addFile(table)
        name = os.path.basename(table)
        cleaned = records.mapPartitions(
            lambda pairs: through(clean + ["--corpus-stats", SparkFiles.get(name)], pairs, skip_bad)
        )
    else:
        cleaned = records.mapPartitions(lambda pairs: through(clean, pairs, skip_bad))
    cleaned.saveAsTextFile(args.output)
    spark.stop()


if __name__ == "__main__":
    main()
