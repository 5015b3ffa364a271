"""thresh: clean plain text scraped from the web, in-process.

The same pipeline as the ``thresh`` command line: it keeps the article and drops navigation,
ads, cookie banners, share widgets, related-links lists and other page furniture, then
normalizes quotes, white space and Unicode. For the same options, :func:`clean` returns the
same bytes as ``thresh clean``.

>>> import thresh
>>> thresh.clean("Share\\nRates rose again, the central bank said on Monday.\\nAdvertisement:\\n")
'Rates rose again, the central bank said on Monday.\\n'

:class:`Cleaner` compiles the rule set once; keep one and call it as often as you like, from
any thread. The module-level functions use a cached :class:`Cleaner` per set of options
(and per version of the rule and settings files they name: an edited file is read again).

Options (keyword-only, everywhere; the CLI's flag in brackets):

- ``select`` / ``ignore`` [``--select`` / ``--ignore``]: use only / leave out these rules and
  heuristics, by id or family: ``"cookie,ads/label"`` or ``["cookie", "heuristic"]``.
- ``rules`` [``--rules``]: a folder of rule files (``*.toml``), one rule file, or a list of
  them. Read when the cleaner is made.
- ``no_builtin`` [``--no-builtin``]: leave out the built-in rules.
- ``settings``: a heuristic settings file replacing ``rules/heuristics/settings.toml``
  (``[heuristics] settings`` in ``thresh.toml``).
- ``quotes`` [``--quotes``]: ``"ascii"`` (default) or ``"keep"``.
- ``dashes``, ``ellipsis`` [``--dashes``, ``--ellipsis``]: ``"keep"`` (default) or ``"ascii"``.
- ``nfkc`` [``--nfkc``], ``strip_tags`` [``--strip-tags``]: off by default.
- ``encoding`` [``--encoding``]: how to decode ``bytes`` input instead of detecting it.
- ``final_newline``: ``"always"`` (default) ends the output with exactly one newline, like
  ``thresh clean FILE``; ``"as-input"`` ends it with one only if the input had one, like
  ``thresh clean --jsonl`` does with a record's text field.
- ``threads``: worker threads of :meth:`Cleaner.clean_batch` (default: one per core, or
  ``RAYON_NUM_THREADS``).

No ``thresh.toml`` is read: pass the options you want.
"""

from __future__ import annotations

import functools
import os
from typing import Any, Iterable, Optional

from ._thresh import Cleaner, DecodeError, RuleError, __version__
from ._types import DocumentStats, FinalNewline, Line, Paths, RuleStats, Selectors, Style, Text

__all__ = [
    "Cleaner",
    "DecodeError",
    "DocumentStats",
    "Line",
    "RuleError",
    "RuleStats",
    "__version__",
    "clean",
    "clean_batch",
    "explain",
]


def _frozen(value: Any) -> Any:
    """A hashable form of an option value, for the cache key."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    return tuple(_frozen(v) for v in value)


@functools.lru_cache(maxsize=16)
def _cached(key: tuple[tuple[str, Any], ...]) -> Cleaner:
    return Cleaner(**{k: v for k, v in key if k != "_files"})


def _stamp(path: str | os.PathLike[str]) -> tuple[Any, ...]:
    """What changes when a rule or settings file is edited: for a file its size and
    modification time, for a folder those of every ``*.toml`` file in it (and its name)."""
    path = os.fspath(path)
    try:
        if os.path.isdir(path):
            return tuple(
                (name, *_stamp(os.path.join(path, name)))
                for name in sorted(os.listdir(path))
                if name.endswith(".toml")
            )
        st = os.stat(path)
        return (st.st_size, st.st_mtime_ns)
    except OSError:
        return ()  # the Cleaner reports a missing file


def _cleaner(options: dict[str, Any]) -> Cleaner:
    """The cached cleaner for these options. The key holds the size and modification time of
    every rule and settings file named, so an edited file is read again, as a new run of the
    CLI would read it."""
    key = tuple(sorted((k, _frozen(v)) for k, v in options.items()))
    files: list[Any] = []
    rules = options.get("rules")
    if rules is not None:
        files.extend([rules] if isinstance(rules, (str, os.PathLike)) else list(rules))
    if options.get("settings") is not None:
        files.append(options["settings"])
    stamps = tuple((os.fspath(f), _stamp(f)) for f in files)
    return _cached(key + (("_files", stamps),))


def clean(
    text: Text,
    *,
    select: Selectors = None,
    ignore: Selectors = None,
    rules: Paths = None,
    no_builtin: bool = False,
    settings: Optional[str | os.PathLike[str]] = None,
    quotes: Style = "ascii",
    dashes: Style = "keep",
    ellipsis: Style = "keep",
    nfkc: bool = False,
    strip_tags: bool = False,
    encoding: Optional[str] = None,
    final_newline: FinalNewline = "always",
) -> str:
    """Cleans one text and returns the cleaned text: what ``thresh clean`` writes for it.

    ``text`` is a ``str``, or ``bytes`` decoded as the CLI decodes a file. See the module
    documentation for the options. Raises :class:`RuleError` for bad rules or selectors and
    :class:`DecodeError` for bytes that cannot be decoded.
    """
    return _cleaner(
        dict(
            select=select,
            ignore=ignore,
            rules=rules,
            no_builtin=no_builtin,
            settings=settings,
            quotes=quotes,
            dashes=dashes,
            ellipsis=ellipsis,
            nfkc=nfkc,
            strip_tags=strip_tags,
            encoding=encoding,
            final_newline=final_newline,
        )
    ).clean(text)


def clean_batch(
    texts: Iterable[Text],
    *,
    select: Selectors = None,
    ignore: Selectors = None,
    rules: Paths = None,
    no_builtin: bool = False,
    settings: Optional[str | os.PathLike[str]] = None,
    quotes: Style = "ascii",
    dashes: Style = "keep",
    ellipsis: Style = "keep",
    nfkc: bool = False,
    strip_tags: bool = False,
    encoding: Optional[str] = None,
    final_newline: FinalNewline = "always",
    threads: Optional[int] = None,
) -> list[str]:
    """Cleans many texts in parallel, with the GIL released; returns them in input order.

    Each result equals ``clean(text)`` with the same options.
    """
    return _cleaner(
        dict(
            select=select,
            ignore=ignore,
            rules=rules,
            no_builtin=no_builtin,
            settings=settings,
            quotes=quotes,
            dashes=dashes,
            ellipsis=ellipsis,
            nfkc=nfkc,
            strip_tags=strip_tags,
            encoding=encoding,
            final_newline=final_newline,
            threads=threads,
        )
    ).clean_batch(texts)


def explain(
    text: Text,
    *,
    select: Selectors = None,
    ignore: Selectors = None,
    rules: Paths = None,
    no_builtin: bool = False,
    settings: Optional[str | os.PathLike[str]] = None,
    quotes: Style = "ascii",
    dashes: Style = "keep",
    ellipsis: Style = "keep",
    nfkc: bool = False,
    strip_tags: bool = False,
    encoding: Optional[str] = None,
) -> list[Line]:
    """Every line of ``text`` with its verdict: what ``thresh explain`` prints, as data.

    Returns one :class:`Line` dict per input line, in order, preceded by the metadata header
    if one was lifted off the first line::

        {"number": 4, "text": "Kyiv • UNN", "original": "Kyiv • UNN", "kept": False,
         "header": False, "rule": "nav/breadcrumb", "reason": "A breadcrumb or …",
         "event": 4, "edits": []}

    ``text`` is what the line became (normalized, spans stripped), ``original`` what it was.
    Dropped lines: ``[l for l in explain(t) if not l["kept"]]``.
    """
    return _cleaner(
        dict(
            select=select,
            ignore=ignore,
            rules=rules,
            no_builtin=no_builtin,
            settings=settings,
            quotes=quotes,
            dashes=dashes,
            ellipsis=ellipsis,
            nfkc=nfkc,
            strip_tags=strip_tags,
            encoding=encoding,
        )
    ).explain(text)
