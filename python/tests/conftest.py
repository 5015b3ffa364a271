"""Shared fixtures: the repository's paths, the CLI binary, and the texts every parity test runs.

The CLI is the reference: tests run ``thresh`` (``$THRESH_BIN``, else ``target/release/thresh``
or ``target/debug/thresh`` of the repository) on the same inputs with the same options and
compare bytes. ``python/test.sh`` builds it; without it those tests are skipped, saying so.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
SEED_GOLDENS = ROOT / "fixtures" / "seeds"
FIXTURES = ROOT / "fixtures"

# Texts that exercise the edges of decoding, splitting and rendering: a byte-order mark, CRLF
# and lone CR, no final newline, blank runs, a lifted header, entities, tags, typography,
# full-width forms, mojibake, an all-dropped text and an empty one.
EDGE_TEXTS = {
    "bom.txt": "\ufeffdate 2025-04-28 Rates rose again\nShare\nRates rose again on Tuesday, the central bank said in a statement.\n",
    "bom-plain.txt": "\ufeffRates rose again on Tuesday, the central bank said in a statement.\n",
    "crlf.txt": "Menu\r\nRates rose again on Tuesday, the central bank said in a statement.\r\n\r\n\r\n“We will act,” the governor said on Tuesday evening.\r",
    "no-final-newline.txt": "Advertisement\nRates rose again on Tuesday, the central bank said in a statement.",
    "blank-runs.txt": "\n\n\nRates rose again on Tuesday, the central bank said in a statement.\n\n\n\nThe governor said it would act – soon… very soon.\n\n\n",
    "header.txt": "published 2024-01-02T10:00:00Z   The title of the article\nRates rose again on Tuesday, the central bank said in a statement.\n",
    "entities-tags.txt": "<p>Rates &amp; prices rose again on Tuesday, the central bank said in a statement.</p>\n<div class=\"x\">It&#8217;s &quot;naÃ¯ve&quot; to expect more, a trader said \u200bon Tuesday.</div>\na < b and c > d, the analyst wrote in a note to clients on Tuesday.\n",
    "typography.txt": "He said — and she agreed – that the ﬁgures were ＡＢＣ… „Gut“, sagte sie, ‘fine’ and ①②³ on Tuesday.\n",
    "all-dropped.txt": "Share\nAdvertisement\n",
    "empty.txt": "",
}


def _find_cli() -> Path | None:
    env = os.environ.get("THRESH_BIN")
    if env:
        return Path(env)
    for profile in ("release", "debug"):
        p = ROOT / "target" / profile / "thresh"
        if p.is_file():
            return p
    return None


@pytest.fixture(scope="session")
def cli() -> Path:
    """The thresh binary. Without $THRESH_BIN and a built binary, the tests that need it skip,
    saying why; a $THRESH_BIN that does not exist is an error."""
    p = _find_cli()
    if p is None:
        pytest.skip("no thresh binary: set THRESH_BIN or run `cargo build --release` at the top")
    if not p.is_file():
        pytest.fail(f"THRESH_BIN={p} does not exist")
    return p


def run_cli(cli: Path, *args: str | os.PathLike[str], cwd: Path, check: bool = True,
            stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """Runs ``thresh ARGS`` with colour off and no config file."""
    env = dict(os.environ, NO_COLOR="1", CI="true")
    r = subprocess.run([str(cli), *map(str, args)], cwd=cwd, env=env, capture_output=True,
                       input=stdin)
    if check and r.returncode != 0:
        raise AssertionError(f"thresh {args} exited {r.returncode}: {r.stderr.decode()}")
    return r


def fixture_pairs() -> list[tuple[Path, Path]]:
    """``(input, expected)`` for every ``fixtures/<family>/<case>.in.txt``, as tests/fixtures.rs."""
    out = []
    for family in sorted(FIXTURES.iterdir()):
        if not family.is_dir() or family.name == "seeds":
            continue
        for f in sorted(family.iterdir()):
            if f.name.endswith(".in.txt"):
                out.append((f, family / (f.name[: -len(".in.txt")] + ".out.txt")))
    return out


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of every input the parity tests clean: the seeds, every fixture input and the
    edge texts, as files, so one CLI run per option set cleans them all."""
    d = tmp_path_factory.mktemp("corpus")
    for seed in sorted(SEEDS.glob("*.txt")):
        (d / f"seed-{seed.name}").write_bytes(seed.read_bytes())
    for inp, _ in fixture_pairs():
        (d / f"fixture-{inp.parent.name}-{inp.name}").write_bytes(inp.read_bytes())
    for name, text in EDGE_TEXTS.items():
        (d / f"edge-{name}").write_bytes(text.encode("utf-8"))
    return d
