"""The AAR as a document: sections of blocks, written once, laid out by each format's templates.

report/sections.py says what every section shows (its tables, lists, notes and findings) by
building these blocks from the AAR model; templates/html and templates/md lay the same blocks out
as HTML or Markdown. A format never decides what a section says, only how it looks, so the two
cannot drift apart. Text is kept as text: escaping belongs to each format's template
environment (report/templating.py), never to the blocks.

Inline values (in table cells, list items and paragraphs) are ``str`` or one of the small
classes below; a cell or a list item may also be a list of them, shown side by side.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar, TypeAlias

# -- inline values ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Strong:
    text: str
    kind: ClassVar[str] = "strong"


@dataclass(frozen=True, slots=True)
class Code:
    """An identifier (role, scenario, rubric id)."""

    text: str
    kind: ClassVar[str] = "code"


@dataclass(frozen=True, slots=True)
class Rating:
    """A scale code (P, S, M, U, N/O...): a coloured chip in HTML."""

    code: str
    kind: ClassVar[str] = "rating"


@dataclass(frozen=True, slots=True)
class Heat:
    """A cell of a heat map: with an evaluator's letter the cell takes the rating's colour in
    HTML; with ``code`` empty it is the engine's score, shown as a number and uncoloured."""

    code: str
    score: str
    kind: ClassVar[str] = "heat"


@dataclass(frozen=True, slots=True)
class Level:
    """An integration-spectrum level (0-4) in the coordination matrix."""

    rank: int
    title: str
    kind: ClassVar[str] = "level"


@dataclass(frozen=True, slots=True)
class Seqs:
    """Event sequence numbers, cut after ``limit`` with a count of the rest."""

    seqs: Sequence[int]
    limit: int = 10
    kind: ClassVar[str] = "seqs"

    @property
    def shown(self) -> Sequence[int]:
        return self.seqs[: self.limit]

    @property
    def more(self) -> int:
        return max(len(self.seqs) - self.limit, 0)


@dataclass(frozen=True, slots=True)
class Tag:
    """A short label (late, contingency, capped, critical...): a coloured tag in HTML."""

    text: str
    style: str
    """Its class names in HTML: ``tag late``, ``tag contingency``, ``flag``, ``prio High``..."""
    kind: ClassVar[str] = "tag"


@dataclass(frozen=True, slots=True)
class Small:
    """Secondary text: smaller in HTML, in italics in Markdown."""

    text: str
    kind: ClassVar[str] = "small"


@dataclass(frozen=True, slots=True)
class Lines:
    """Several short items in one cell: one per line in HTML, separated by "; " in Markdown."""

    items: Sequence[Inline]
    kind: ClassVar[str] = "lines"


Inline: TypeAlias = str | Strong | Code | Rating | Heat | Level | Seqs | Tag | Small | Lines | list


# -- blocks ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Heading:
    text: Inline
    level: int = 3
    kind: ClassVar[str] = "heading"


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: Inline
    kind: ClassVar[str] = "paragraph"


@dataclass(frozen=True, slots=True)
class Note:
    """What the reader should know about a section; ``budget`` when items were left out."""

    text: str
    budget: bool = False
    kind: ClassVar[str] = "note"


@dataclass(frozen=True, slots=True)
class Bullets:
    items: Sequence[Inline]
    kind: ClassVar[str] = "bullets"


@dataclass(frozen=True, slots=True)
class Table:
    header: Sequence[Inline]
    rows: Sequence[Sequence[Inline]]
    numeric: frozenset[int] = frozenset()
    """Columns aligned right (HTML)."""
    style: str = ""
    """``kv`` for a two-column table of facts (no header shown)."""
    kind: ClassVar[str] = "table"


@dataclass(frozen=True, slots=True)
class Figure:
    """A chart: inline SVG, built by report/svg.py (which escapes what it draws)."""

    svg: str
    caption: str = ""
    kind: ClassVar[str] = "figure"


@dataclass(frozen=True, slots=True)
class PhaseStrip:
    """The phases of play side by side, each as wide as its share of play."""

    phases: Sequence[tuple[str, str, str]]
    """(phase, label, width in percent)."""
    kind: ClassVar[str] = "strip"


@dataclass(frozen=True, slots=True)
class Figures:
    """Key figures in large type (the executive summary's)."""

    items: Sequence[tuple[str, str]]
    """(figure, what it counts)."""
    kind: ClassVar[str] = "figures"


@dataclass(frozen=True, slots=True)
class Group:
    """Blocks under a title, boxed in HTML (a panel, a criterion, a hot-wash topic...)."""

    title: Inline
    blocks: Sequence[Block]
    style: str = ""
    level: int = 3
    """The title's heading level; 0 for a title in bold."""
    kind: ClassVar[str] = "group"


@dataclass(frozen=True, slots=True)
class FindingCard:
    """A strength or area for improvement (HSEEP) with its analysis and evidence."""

    label: str
    style: str
    rating: Inline
    """The evaluators' letter where they rated the criterion, else words saying the score is
    the engine's."""
    score: str
    statement: str
    role_name: str
    analysis: str
    look_fors_label: str
    look_fors: Sequence[str]
    reference: str
    seqs: Seqs
    kind: ClassVar[str] = "finding"


@dataclass(frozen=True, slots=True)
class Signatures:
    names: Sequence[str]
    kind: ClassVar[str] = "signatures"


Block: TypeAlias = (
    Heading
    | Paragraph
    | Note
    | Bullets
    | Table
    | Figure
    | PhaseStrip
    | Figures
    | Group
    | FindingCard
    | Signatures
)


# -- the document ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    """The anchor in HTML; also what the formats are compared by (tests/test_report.py)."""
    number: str
    title: str
    nav: str
    """The short title in the HTML navigation bar."""
    blocks: Sequence[Block]
    major: bool = False
    """Starts on a new page when printed."""

    @property
    def heading(self) -> str:
        if not self.number:
            return self.title
        if self.number.isdigit():
            return f"{self.number}. {self.title}"
        return f"Appendix {self.number}. {self.title}"


@dataclass(frozen=True, slots=True)
class Cover:
    title: str
    kicker: str
    lead: str
    byline: str
    """Scenario, session, rubric, generator and format, in one line."""
    facts: Sequence[tuple[str, str]]
    score: str
    rating: str
    rating_label: str
    rubric_note: str
    footer: str


@dataclass(frozen=True, slots=True)
class Document:
    cover: Cover
    sections: Sequence[Section] = field(default_factory=list)
