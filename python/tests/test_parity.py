"""The module against the CLI, byte for byte: the seeds and fixtures against their goldens, and
every input under a range of options against what ``thresh`` itself writes."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

import thresh
from conftest import EDGE_TEXTS, SEED_GOLDENS, SEEDS, fixture_pairs, run_cli

CUSTOM_RULES = '''description = "Rules of the test suite."

[[rule]]
id = "custom/governor"
kind = "drop-line"
match = "regex"
description = "Any line that mentions a governor."
patterns = ['(?i)\\bgovernor\\b']

[[rule]]
id = "custom/ukrinform"
kind = "strip-span"
match = "regex"
description = "The words 'Ukrinform reports'."
patterns = ['Ukrinform reports']
'''


def test_seeds_match_their_goldens() -> None:
    cleaner = thresh.Cleaner()
    seeds = sorted(SEEDS.glob("*.txt"))
    assert len(seeds) == 5
    for seed in seeds:
        expected = (SEED_GOLDENS / seed.name).read_bytes().decode("utf-8")
        assert cleaner.clean(seed.read_bytes()) == expected, seed.name
        assert cleaner.clean(seed.read_text("utf-8")) == expected, seed.name
        assert thresh.clean(seed.read_text("utf-8")) == expected, seed.name


def test_fixtures_match_their_goldens() -> None:
    pairs = fixture_pairs()
    assert len(pairs) >= 24, "at least two fixtures per rule family, as tests/fixtures.rs says"
    cleaner = thresh.Cleaner()
    failures = [
        inp.relative_to(inp.parents[2])
        for inp, out in pairs
        if cleaner.clean(inp.read_bytes()) != out.read_text("utf-8")
    ]
    assert failures == []


# (keyword options of the module, flags of the CLI); "{rules}" and "{config}" are filled in.
OPTION_SETS = [
    ({}, []),
    ({"select": "cookie,ads,share"}, ["--select", "cookie,ads,share"]),
    ({"select": ["heuristic"]}, ["--select", "heuristic"]),
    ({"ignore": ["heuristic", "nav/breadcrumb"]}, ["--ignore", "heuristic", "--ignore", "nav/breadcrumb"]),
    ({"quotes": "keep"}, ["--quotes", "keep"]),
    ({"dashes": "ascii", "ellipsis": "ascii"}, ["--dashes", "ascii", "--ellipsis", "ascii"]),
    ({"nfkc": True, "strip_tags": True}, ["--nfkc", "--strip-tags"]),
    ({"rules": "{rules}", "ignore": "ads"}, ["--rules", "{rules}", "--ignore", "ads"]),
    ({"rules": ["{rules}"], "no_builtin": True, "quotes": "keep"},
     ["--rules", "{rules}", "--no-builtin", "--quotes", "keep"]),
    ({"settings": "{settings}"}, ["-c", "{config}"]),
]


@pytest.fixture(scope="module")
def rule_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("rules")
    (d / "custom.toml").write_text(CUSTOM_RULES, "utf-8")
    return d


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A settings file with other prose thresholds, and a thresh.toml naming it."""
    d = tmp_path_factory.mktemp("config")
    builtin = (SEEDS.parent / "rules" / "heuristics" / "settings.toml").read_text("utf-8")
    changed = builtin.replace("min-words = 8", "min-words = 20", 1)
    assert changed != builtin
    (d / "settings.toml").write_text(changed, "utf-8")
    (d / "thresh.toml").write_text('[heuristics]\nsettings = "settings.toml"\n', "utf-8")
    return d / "settings.toml", d / "thresh.toml"


def fill(value: object, rules: Path, settings: Path, config: Path) -> object:
    subst = {"{rules}": str(rules), "{settings}": str(settings), "{config}": str(config)}
    if isinstance(value, str):
        return subst.get(value, value)
    if isinstance(value, list):
        return [fill(v, rules, settings, config) for v in value]
    return value


@pytest.mark.parametrize("kwargs, flags", OPTION_SETS, ids=[" ".join(f) or "defaults" for _, f in OPTION_SETS])
def test_clean_matches_cli(cli: Path, corpus: Path, tmp_path: Path, rule_dir: Path,
                           config: tuple[Path, Path], kwargs: dict, flags: list[str]) -> None:
    settings, cfg = config
    kwargs = {k: fill(v, rule_dir, settings, cfg) for k, v in kwargs.items()}
    flags = [str(fill(f, rule_dir, settings, cfg)) for f in flags]
    if "-c" not in flags:
        flags.append("--isolated")
    out = tmp_path / "out"
    run_cli(cli, "clean", corpus, "-o", out, "-q", *flags, cwd=tmp_path)
    cleaner = thresh.Cleaner(**kwargs)
    files = sorted(corpus.iterdir())
    expected = [(out / f.name).read_bytes().decode("utf-8") for f in files]
    as_bytes = [f.read_bytes() for f in files]
    as_str = [b.decode("utf-8") for b in as_bytes]
    differ = [f.name for f, b, e in zip(files, as_bytes, expected) if cleaner.clean(b) != e]
    assert differ == []
    differ = [f.name for f, s, e in zip(files, as_str, expected) if cleaner.clean(s) != e]
    assert differ == []
    assert cleaner.clean_batch(as_str) == expected
    assert cleaner.clean_batch(as_bytes) == expected


def test_options_change_the_output(corpus: Path, rule_dir: Path) -> None:
    """Each option set of the parity test does something on this corpus, so the parity test
    compares more than the defaults ten times."""
    texts = [f.read_bytes() for f in sorted(corpus.iterdir())]
    default = thresh.Cleaner().clean_batch(texts)
    for kwargs, _ in OPTION_SETS[1:]:
        if "settings" in kwargs:
            continue  # covered by test_settings_file_changes_the_output
        kwargs = {k: fill(v, rule_dir, Path(), Path()) for k, v in kwargs.items()}
        assert thresh.Cleaner(**kwargs).clean_batch(texts) != default, kwargs


def test_settings_file_changes_the_output(corpus: Path, config: tuple[Path, Path]) -> None:
    settings, _ = config
    texts = [f.read_bytes() for f in sorted(corpus.iterdir())]
    assert thresh.Cleaner(settings=settings).clean_batch(texts) != thresh.Cleaner().clean_batch(texts)


def test_custom_rules_fire(rule_dir: Path) -> None:
    """The user rules of the parity test drop and strip, so that test exercises them."""
    lines = thresh.explain(EDGE_TEXTS["crlf.txt"], rules=rule_dir)
    assert "custom/governor" in [l["rule"] for l in lines if not l["kept"]]
    seed = (SEEDS / "000_e1611555b7ec6338.txt").read_bytes()
    lines = thresh.explain(seed, rules=rule_dir)
    assert any("custom/ukrinform" in l["edits"] and l["kept"] for l in lines)


def test_final_newline_as_input_matches_jsonl(cli: Path, corpus: Path, tmp_path: Path) -> None:
    """final_newline="as-input" is `thresh clean --jsonl` on a record's text field."""
    texts = [f.read_bytes().decode("utf-8") for f in sorted(corpus.iterdir())]
    texts += ["no newline at the end", "Share", "", "\n", "Rates rose again.\r\n", "Rates rose.\r",
              "\ufeffdate 2025-04-28 A title\nRates rose again on Tuesday, the bank said.",
              "Rates rose\x00 again on Tuesday, the central bank said in a statement."]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(texts)), "utf-8")
    out = tmp_path / "out.jsonl"
    run_cli(cli, "clean", "--jsonl", src, "-o", out, "-q", "--isolated", cwd=tmp_path)
    expected = [json.loads(line)["text"] for line in out.read_text("utf-8").splitlines()]
    cleaner = thresh.Cleaner(final_newline="as-input")
    assert cleaner.clean_batch(texts) == expected
    assert [cleaner.clean(t) for t in texts] == expected
    assert thresh.clean("Share\nRates rose again on Tuesday, the bank said.", final_newline="as-input") \
        == "Rates rose again on Tuesday, the bank said."


def test_explain_matches_cli_report(cli: Path, corpus: Path, tmp_path: Path) -> None:
    """The dropped lines (number, rule, reason, event, original text) and the per-file edit
    counts of `thresh clean --format json`, for every input."""
    r = run_cli(cli, "clean", corpus, "--check", "--format", "json", "--isolated", cwd=tmp_path,
                check=False)
    assert r.returncode in (0, 1), r.stderr.decode()
    report = {Path(f["path"]).name: f for f in json.loads(r.stdout)["files"]}
    files = sorted(corpus.iterdir())
    assert sorted(report) == [f.name for f in files]
    cleaner = thresh.Cleaner()
    for f in files:
        lines = cleaner.explain(f.read_bytes())
        body = [l for l in lines if not l["header"]]
        dropped = [
            (l["number"], l["rule"], l["reason"], l["event"], l["original"])
            for l in body
            if not l["kept"] and l["text"].strip()
        ]
        expected = [(d["line"], d["rule"], d["reason"], d["event"], d["text"]) for d in report[f.name]["dropped"]]
        assert dropped == expected, f.name
        edits = Counter(e for l in body for e in l["edits"])
        assert dict(edits) == report[f.name].get("edits", {}), f.name


def parse_explain(out: str) -> list[tuple[int, str, str, str]]:
    """`thresh explain` rows as (number, marker, text, detail)."""
    rows: list[list] = []
    for line in out.split("\n")[:-1]:
        if line.startswith("        "):
            rows[-1][3] = line[8:]
        else:
            rows.append([int(line[:5]), line[6], line[8:], ""])
    return [tuple(r) for r in rows]


def explain_rows(lines: list[thresh.Line]) -> list[tuple[int, str, str, str]]:
    """The module's explain, rendered as `thresh explain` rows."""
    rows = []
    for l in lines:
        if l["header"]:
            rows.append((l["number"], "h", l["text"], ""))
        elif not l["kept"]:
            rows.append((l["number"], "-", l["text"], f"{l['rule']}: {l['reason']}"))
        elif l["edits"]:
            rows.append((l["number"], "~", l["text"], "changed by " + ", ".join(l["edits"])))
        else:
            rows.append((l["number"], "+", l["text"], ""))
    return rows


@pytest.mark.parametrize("kwargs, flags", [({}, []), ({"quotes": "keep", "strip_tags": True, "dashes": "ascii"},
                                                      ["--quotes", "keep", "--strip-tags", "--dashes", "ascii"])])
def test_explain_matches_cli_explain(cli: Path, corpus: Path, tmp_path: Path, kwargs: dict, flags: list[str]) -> None:
    """Every row of `thresh explain` (header, kept, changed and dropped lines, with the rule,
    reason and edits) for the seeds and the edge texts."""
    cleaner = thresh.Cleaner(**kwargs)
    files = sorted(f for f in corpus.iterdir() if f.name.startswith(("seed-", "edge-")))
    assert len(files) == 5 + len(EDGE_TEXTS)
    for f in files:
        r = run_cli(cli, "explain", f, "--color", "never", "--isolated", *flags, cwd=tmp_path)
        assert explain_rows(cleaner.explain(f.read_bytes())) == parse_explain(r.stdout.decode("utf-8")), f.name


def test_bytes_are_decoded_like_files(cli: Path, tmp_path: Path) -> None:
    """UTF-16 with a byte-order mark, a named encoding, and detection, as the CLI reads files."""
    text = "Реклама\nУкраїна відзначає річницю, повідомили в уряді у вівторок увечері.\n"
    cases = {
        "utf16.txt": (text.encode("utf-16"), None),
        "cp1251.txt": (text.encode("cp1251"), "windows-1251"),
        "cp1251-detected.txt": ((text * 4).encode("cp1251"), None),
    }
    for name, (data, encoding) in cases.items():
        (tmp_path / name).write_bytes(data)
        flags = ["--encoding", encoding] if encoding else []
        r = run_cli(cli, "clean", tmp_path / name, "--isolated", *flags, cwd=tmp_path)
        got = thresh.clean(data, encoding=encoding)
        assert got == r.stdout.decode("utf-8"), name
        assert "Україна" in got and "Реклама" not in got
