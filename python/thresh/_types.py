"""Types shared by the package and the extension's stubs."""

from __future__ import annotations

import os
from typing import Iterable, Literal, Optional, TypedDict, Union

#: A text to clean: a ``str``, or ``bytes`` decoded as the CLI decodes a file.
Text = Union[str, bytes]

#: Rule or heuristic selectors: ids (``"cookie/consent-notice"``) or families (``"cookie"``,
#: ``"heuristic"``), as one comma-separated string or an iterable of strings.
Selectors = Union[str, Iterable[str], None]

#: One rule folder or file, or several.
Paths = Union[str, "os.PathLike[str]", Iterable[Union[str, "os.PathLike[str]"]], None]

Style = Literal["ascii", "keep"]
FinalNewline = Literal["always", "as-input"]


class Line(TypedDict):
    """One entry of :func:`thresh.explain`: a line of the input and what became of it."""

    #: 1-based line number in the input (the header, if any, is number 1 too).
    number: int
    #: The line's text after normalization and stripping: what ``thresh explain`` prints.
    text: str
    #: The line as it was in the input (for the first line, without a lifted header; for the
    #: header, the header).
    original: str
    #: True when the line stays in the output (blank lines may still be collapsed).
    kept: bool
    #: True for the metadata header lifted off the first line (``date 2025-04-28``).
    header: bool
    #: The id of the rule or heuristic that dropped the line, or None.
    rule: Optional[str]
    #: Why it was dropped, for people, or None.
    reason: Optional[str]
    #: The number of the line where the drop began (the marker of a cut tail, the first line of
    #: a block or run), or None. Lines with the same rule and event went in one hit.
    event: Optional[int]
    #: Ids of the repairs, normalizers and rules that changed the text, in the order they ran.
    edits: list[str]


__all__ = ["FinalNewline", "Line", "Paths", "Selectors", "Style", "Text"]


class RuleStats(TypedDict):
    """What one rule or heuristic dropped in a document (``DocumentStats["rules"]``)."""

    #: Times it fired: a block, a tail or a run counts once.
    hits: int
    #: Non-blank lines dropped.
    lines: int
    #: Their bytes.
    bytes: int


class DocumentStats(TypedDict):
    """What :meth:`thresh.Cleaner.clean_batch` with ``stats=True`` counts for one text: what
    ``thresh clean --stats`` counts."""

    #: Documents in the text (more than one with ``split_on``).
    documents: int
    #: Input lines.
    lines: int
    #: Input bytes.
    bytes: int
    #: Non-blank lines dropped.
    lines_dropped: int
    #: Their bytes.
    bytes_dropped: int
    #: Per rule or heuristic id, what it dropped.
    rules: dict[str, RuleStats]
    #: Per rule or normalizer id, the lines whose text it changed.
    edits: dict[str, int]
