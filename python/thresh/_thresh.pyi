"""The compiled part of thresh (``thresh._thresh``); import it from ``thresh``."""

import os
from typing import Any, Iterable, Literal, Optional, overload

from ._types import DocumentStats, FinalNewline, Line, Paths, Selectors, Style, Text

__version__: str

class RuleError(ValueError):
    """A rule file, rule folder, heuristic settings file or selector is bad. The message is the CLI's: file:line:column, the rule id, what is wrong and what was expected."""

class DecodeError(ValueError):
    """Bytes given to clean could not be decoded: not UTF-8, UTF-16 with a byte-order mark, the named encoding or one detected with confidence. The message is the CLI's."""

class Cleaner:
    """A compiled cleaning pipeline: the rule set is loaded, selected and compiled once, here.

    The options are the CLI's (see the documentation of the thresh module). Thread-safe: every
    method releases the GIL while it cleans. Picklable: a pickle carries the options and the
    rule files' texts, so it unpickles where the rule files do not exist. Raises RuleError for
    bad rules, rule folders, settings files or selectors, and ValueError for a bad option value
    or encoding label.
    """

    def __init__(
        self,
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
    ) -> None: ...
    def clean(self, text: Text, *, split_on: Optional[str] = None) -> str:
        """Cleans one text: the bytes `thresh clean` writes for it with the same options.

        A str is taken as the text of a UTF-8 file (a leading U+FEFF is dropped, as the CLI
        drops a byte-order mark) or, with final_newline="as-input", as `thresh clean --jsonl`
        takes a record's text field (nothing dropped). A str is never refused: a NUL, for which
        the CLI refuses a file as binary, goes like any control character. Bytes are decoded as
        the CLI decodes a file; DecodeError if they cannot be.

        split_on="REGEX": the text holds several documents, split at the lines REGEX matches
        and each cleaned alone, as `thresh clean --split-on` does.
        """
    @overload
    def clean_batch(
        self,
        texts: Iterable[Text],
        *,
        split_on: Optional[str] = None,
        corpus: bool = False,
        stats: Literal[False] = False,
    ) -> list[str]: ...
    @overload
    def clean_batch(
        self,
        texts: Iterable[Text],
        *,
        split_on: Optional[str] = None,
        corpus: bool = False,
        stats: Literal[True],
    ) -> list[tuple[str, DocumentStats]]:
        """Cleans many texts on a thread pool with the GIL released; results in input order.

        Each result equals clean(text). `texts` is any iterable of str or bytes (a list, a
        tuple, a NumPy object array...), not one str. The first text that fails raises, naming
        its index (`texts[3]: ...`).

        split_on="REGEX" splits each text into documents as clean does. corpus=True cleans the
        batch as a corpus, as `thresh clean --corpus` cleans a folder: a first pass counts in
        how many documents each line occurs, and lines that are not prose and recur in
        several of them go too (heuristic/corpus-repeat). stats=True returns (text, stats)
        pairs, stats a dict of what `--stats` counts for that text: documents, lines, bytes,
        lines_dropped, bytes_dropped, rules ({id: {hits, lines, bytes}}) and edits ({id: lines}).
        """
    def explain(self, text: Text) -> list[Line]:
        """Every line with its verdict: what `thresh explain` prints, as data.

        One thresh.Line dict per input line, in order, after the metadata header if one was
        lifted off the first line. Keys: number, text (what the line became), original (what it
        was), kept, header, rule and reason (None when kept), event (the line where the drop
        began), edits (ids of what changed the text).
        """
    def explain_batch(self, texts: Iterable[Text]) -> list[list[Line]]:
        """explain for many texts: the cleaning runs on a thread pool with the GIL released;
        one list of thresh.Line dicts per text, in input order.
        """
    @property
    def rule_ids(self) -> list[str]:
        """The ids of the selected rules, then of the selected heuristics."""
    def __reduce__(self) -> tuple[Any, ...]:
        """Pickles as the options and the rule files' texts; unpickling recompiles the rule set."""

def _restore(state: dict[str, Any]) -> Cleaner: ...
