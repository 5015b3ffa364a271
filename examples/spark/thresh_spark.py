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


def pipe(args, lines):
    """Runs thresh ARGS with `lines` (str, without newlines) on its standard input, one a
    line, and yields its standard output line by line (without newlines). A failing thresh
    fails the task with its error message."""
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
    if code != 0:
        raise RuntimeError(
            f"thresh {' '.join(args)} exited with {code}: "
            + b"".join(errors).decode("utf-8", "replace")
        )


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
            text = json.loads(record).get(field, "")
        except ValueError:
            text = record  # thresh reports the bad record
        if not isinstance(text, str):
            text = record
        return zlib.crc32(text.encode("utf-8"))

    return key


def corpus_table(spark, records, args, threads):
    """Pass 1: a partial table per partition, merged into one table file on the driver."""
    field = ["--text-field", args.text_field]
    # Identical documents go to the same partition, so each is counted once, as on one
    # machine (`merge` would report them as shared otherwise).
    grouped = records.keyBy(text_hash(args.text_field)).partitionBy(args.partitions).values()

    def partial(lines):
        table = "\n".join(pipe(["corpus-stats", "--jsonl", "-", "-q", "-j", threads] + field, lines))
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

    records = read_records(spark, args)
    clean = ["clean", "--jsonl", "-", "-q", "-j", args.threads, "--text-field", args.text_field]
    if args.corpus:
        table = corpus_table(spark, records, args, args.threads)
        sc.addFile(table)
        name = os.path.basename(table)
        cleaned = records.mapPartitions(
            lambda lines: pipe(clean + ["--corpus-stats", SparkFiles.get(name)], lines)
        )
    else:
        cleaned = records.mapPartitions(lambda lines: pipe(clean, lines))
    cleaned.saveAsTextFile(args.output)
    spark.stop()


if __name__ == "__main__":
    main()
