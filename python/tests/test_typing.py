"""The installed type stubs, through mypy --strict: correct uses pass, wrong ones are caught."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

GOOD = '''
import pickle
from pathlib import Path

import thresh

text: str = thresh.clean("Share\\nx\\n", select=["cookie"], quotes="keep")
raw: str = thresh.clean(b"abc", encoding="latin1", final_newline="as-input")
batch: list[str] = thresh.clean_batch([text, b"x"], ignore="heuristic", threads=2)
for line in thresh.explain(text, rules=Path("rules"), strip_tags=True):
    number: int = line["number"]
    rule: str | None = line["rule"]
    edits: list[str] = line["edits"]
cleaner = thresh.Cleaner(select="cookie,ads", settings=Path("s.toml"), nfkc=True)
ids: list[str] = cleaner.rule_ids
lines: list[thresh.Line] = cleaner.explain(b"x")
again: thresh.Cleaner = pickle.loads(pickle.dumps(cleaner))
try:
    thresh.Cleaner(select="x")
except thresh.RuleError as e:
    message: str = str(e)
except thresh.DecodeError:
    pass
'''

# Each line, and the mypy error code it must raise.
BAD = {
    "thresh.clean(3)": "arg-type",
    'thresh.clean("x", quotes="fancy")': "arg-type",
    'n: int = thresh.clean("x")': "assignment",
    'thresh.Cleaner().explain("x")[0]["nope"]': "typeddict-item",
    'thresh.clean_batch("x", threads="2")': "arg-type",
    'thresh.Cleaner("cookie")': "call-arg",
    'thresh.explain("x", final_newline="always")': "call-arg",
}


def mypy(tmp_path: Path, name: str, source: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / name).write_text(source, "utf-8")
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--no-error-summary",
         "--hide-error-context", name],
        cwd=tmp_path, capture_output=True, text=True)


@pytest.fixture(autouse=True)
def _needs_mypy() -> None:
    pytest.importorskip("mypy", reason="mypy is not installed (python/test.sh installs it)")


def test_correct_use_type_checks(tmp_path: Path) -> None:
    r = mypy(tmp_path, "good.py", GOOD)
    assert r.returncode == 0, r.stdout + r.stderr


def test_wrong_use_is_caught(tmp_path: Path) -> None:
    lines = list(BAD)
    r = mypy(tmp_path, "bad.py", "import thresh\n" + "\n".join(lines) + "\n")
    found: dict[int, set[str]] = {}
    for m in re.finditer(r"^bad\.py:(\d+): error: .*\[([a-z-]+)\]$", r.stdout, re.M):
        found.setdefault(int(m.group(1)) - 2, set()).add(m.group(2))
    for i, line in enumerate(lines):
        assert BAD[line] in found.get(i, set()), f"{line!r}: {found.get(i)}\n{r.stdout}"
