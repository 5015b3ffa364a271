#!/usr/bin/env python3
"""Builds a deterministic benchmark corpus for thresh (fixed seed; never committed).

From the bundled seeds, the fixtures and the rule packs' examples, it assembles scraped-looking
pages: debris lines (menus, labels, banners, link lists) around article paragraphs, with
curly quotes, NBSP, zero-width spaces and Cyrillic mixed in, as scraped text has them.

    scripts/gen-corpus.py OUT [--mb 200] [--seed 7]

writes OUT/files/NNN/NNNNNN.txt (2-8 KB each, about --mb MB in all), OUT/single.txt (the same
pages as one file, each followed by a form feed alone on its line: `--split-on '^\f$'`) and
OUT/corpus.jsonl (one {"id", "text"} record per page).
"""
import argparse
import json
import os
import random
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def paragraphs_and_debris():
    """Prose lines (long, ending like sentences) and debris lines from the project's data."""
    prose, debris = [], []
    texts = []
    for d in ("seeds",):
        for f in sorted(os.listdir(os.path.join(ROOT, d))):
            texts.append(open(os.path.join(ROOT, d, f), encoding="utf-8").read())
    fixtures = os.path.join(ROOT, "fixtures")
    for fam in sorted(os.listdir(fixtures)):
        p = os.path.join(fixtures, fam)
        if os.path.isdir(p):
            for f in sorted(os.listdir(p)):
                if f.endswith(".in.txt"):
                    texts.append(open(os.path.join(p, f), encoding="utf-8").read())
    rules = os.path.join(ROOT, "rules")
    for f in sorted(os.listdir(rules)):
        if f.endswith(".toml"):
            s = open(os.path.join(rules, f), encoding="utf-8").read()
            for m in re.finditer(r"before = (?:'''|\"\"\")\n?(.*?)(?:'''|\"\"\")", s, re.S):
                texts.append(m.group(1))
    for t in texts:
        for line in t.split("\n"):
            s = line.strip()
            if not s:
                continue
            words = s.split()
            if len(words) >= 8 and s[-1] in '.!?"”»':
                prose.append(s)
            else:
                debris.append(s)
    return sorted(set(prose)), sorted(set(debris))


def noisy(line, rng):
    """Scraped-text noise: NBSP, a zero-width space, curly quotes."""
    r = rng.random()
    if r < 0.05:
        line = line.replace(" ", "\u00a0", 1)
    elif r < 0.07:
        i = rng.randrange(len(line) + 1)
        line = line[:i] + "\u200b" + line[i:]
    elif r < 0.12:
        line = "\u201c" + line + "\u201d"
    return line


def page(rng, prose, debris, size):
    lines = [f" date 2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} " + rng.choice(debris)]
    lines += [rng.choice(debris) for _ in range(rng.randint(2, 8))]
    lines.append(rng.choice(prose)[:90].rstrip(".") )  # a title
    n = sum(len(l) for l in lines)
    while n < size:
        # A paragraph of one to six sentences, so that line lengths spread as on real pages
        # (a third of the bytes in lines over 300 characters).
        sentences = [rng.choice(prose) for _ in range(rng.choice((1, 1, 1, 2, 2, 3, 4)))]
        block = [noisy(" ".join(sentences), rng)]
        if rng.random() < 0.15:
            block.append(rng.choice(debris))
        for l in block:
            lines.append("")
            lines.append(l)
            n += len(l.encode("utf-8")) + 2
    lines.append("")
    lines += [rng.choice(debris) for _ in range(rng.randint(3, 20))]
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--mb", type=int, default=200)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    prose, debris = paragraphs_and_debris()
    if not prose or not debris:
        sys.exit("gen-corpus: no seeds/fixtures/rules found")
    files = os.path.join(a.out, "files")
    os.makedirs(files, exist_ok=True)
    total, i = 0, 0
    target = a.mb * 1_000_000
    with open(os.path.join(a.out, "single.txt"), "w", encoding="utf-8") as single, \
            open(os.path.join(a.out, "corpus.jsonl"), "w", encoding="utf-8") as jsonl:
        while total < target:
            text = page(rng, prose, debris, rng.randint(2_000, 8_000))
            sub = os.path.join(files, f"{i // 1000:03d}")
            if i % 1000 == 0:
                os.makedirs(sub, exist_ok=True)
            with open(os.path.join(sub, f"{i:06d}.txt"), "w", encoding="utf-8") as f:
                f.write(text)
            single.write(text)
            single.write("\f\n")
            jsonl.write(json.dumps({"id": i, "text": text}, ensure_ascii=False) + "\n")
            total += len(text.encode("utf-8"))
            i += 1
    print(f"gen-corpus: {i} files, {total / 1e6:.1f} MB in {a.out}")


if __name__ == "__main__":
    main()
