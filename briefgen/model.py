"""The values that flow between stages: Article → Passage → Point/Claim → Section → Brief.

All are frozen dataclasses; a stage returns new values and never mutates what it was given.
Character spans (`start`, `end`) always index into `Article.text`, the normalized body.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Literal

CREDIBILITY = {
    1: "Confirmed by other sources",
    2: "Probably true",
    3: "Possibly true",
    4: "Doubtful",
    5: "Improbable",
    6: "Truth cannot be judged",
}
"""Admiralty information credibility: what each number means."""

RELIABILITY = {
    "A": "Completely reliable",
    "B": "Usually reliable",
    "C": "Fairly reliable",
    "D": "Not usually reliable",
    "E": "Unreliable",
    "F": "Reliability cannot be judged",
}
"""NATO Admiralty code source grades, the meaning shown next to each letter."""

GRADES = tuple(RELIABILITY)
"""Grades from best to worst."""

Grade = Literal["A", "B", "C", "D", "E", "F"]
"""An Admiralty source grade (RELIABILITY)."""

ClaimStatus = Literal["corroborated", "contested", "single-source", "unconfirmed"]
"""What the sources together make of a claim (rules in briefgen/analysis/claims.py)."""

StanceLabel = Literal["asserts", "disputes", "reports"]
"""asserts: the source presents the claim as true; disputes: as false (debunks it, states the
opposite, or gives an authoritative refutation and no support); reports: mentions it without
taking a side (attributed, hedged, or claim and denial side by side). Judged on the whole article."""
STANCES: tuple[StanceLabel, ...] = ("asserts", "disputes", "reports")
"""How a source relates to a claim; a source with no stance (`none`) is simply absent."""


@dataclass(frozen=True)
class Copy:
    """Another publication of the same story, merged into one source."""

    id: str
    """Its source id (references to it mean the source it was merged into)."""
    title: str
    """Its headline."""
    outlet: str | None = None
    """Who published the copy."""
    url: str | None = None
    """Where."""
    published: date | None = None
    """When."""


@dataclass(frozen=True)
class Article:
    """One source document after ingest: its clean text and the metadata the brief cites."""

    id: str
    """Source id from config (or the file stem for globbed sources)."""
    path: Path
    """The file it was read from."""
    title: str
    """Headline: from config, else detected in the file."""
    text: str
    """Normalized body (site chrome removed, whitespace and quotes normalized)."""
    raw: str
    """The file's text exactly as read, kept for audits of the normalized text."""
    outlet: str | None = None
    """Publisher or site name, if known."""
    url: str | None = None
    """Where the article was published, if known."""
    published: date | None = None
    """Publication date, if known."""
    reliability: Grade = "F"
    """Admiralty source grade A–F (F: cannot be judged)."""
    note: str | None = None
    """The analyst's description of the source."""
    sections: tuple[str, ...] = ()
    """Section ids the config assigns this source to explicitly."""
    removed: tuple[str, ...] = ()
    """Lines dropped as site chrome, for review with `--debug`."""
    author: str | None = None
    """Who wrote it, if a plausible name was found."""
    language: str | None = None
    """Language tag, e.g. 'en-gb', if declared."""
    format: str = "txt"
    """The reader that read it: txt, html, md or feed."""
    extracted: tuple[str, ...] = ()
    """Metadata fields taken from the file itself rather than from config."""
    also: tuple[Copy, ...] = ()
    """Near-identical copies merged into this source (counted once)."""
    warnings: tuple[str, ...] = ()
    """Things the reader noticed (encoding guessed, implausible date ignored…)."""


@dataclass(frozen=True)
class Dropped:
    """A source the config names that could not be used: the brief says so, never in silence."""

    source: str
    """Its source id (a feed item: `FEED~key`)."""
    file: str
    """The file or URL as the user wrote it."""
    why: str
    """What went wrong, in plain words ("file is empty", "no article text left…")."""

    def __str__(self) -> str:
        return f"{self.file}: {self.why} (skipped)"


@dataclass(frozen=True)
class Corpus:
    """Everything ingest produced: the sources, and what could not be used."""

    articles: tuple[Article, ...]
    """Readable, de-duplicated sources in config order."""
    dropped: tuple[Dropped, ...] = ()
    """Every source that was named but could not be used, and why."""
    order: tuple[str, ...] = ()
    """Every source id in config order: numbers stay the same in every edition."""

    @property
    def skipped(self) -> tuple[str, ...]:
        """One line per source that was skipped, naming it and saying why."""
        return tuple(str(d) for d in self.dropped)

    def number(self, source_id: str) -> int:
        """The source's number in the Sources list (1-based, config order)."""
        order = self.order or tuple(a.id for a in self.articles)
        return order.index(source_id) + 1

    def resolve(self, source_id: str) -> tuple[str, ...]:
        """Ids of the sources that `source_id` now means (a merged copy, a feed's items)."""
        direct = [a.id for a in self.articles if a.id == source_id or any(c.id == source_id for c in a.also)]
        if direct:
            return tuple(direct)
        prefix = f"{source_id}~"
        return tuple(dict.fromkeys(a.id for a in self.articles if a.id.startswith(prefix) or
                                   any(c.id.startswith(prefix) for c in a.also)))


@dataclass(frozen=True)
class Passage:
    """A sentence of one article, with what evidence scoring found in it."""

    source: str
    """Id of the article it comes from."""
    start: int
    """Offset of the first character in `Article.text`."""
    end: int
    """Offset one past the last character in `Article.text`."""
    text: str
    """`Article.text[start:end]`."""
    index: int
    """Position of the sentence in its article (0 = lead)."""
    score: float = 0.0
    """Salience for the section it was selected for; higher is better."""
    cues: tuple[str, ...] = ()
    """Contest cues found in the wording (e.g. "denied", "reportedly")."""


@dataclass(frozen=True)
class Evidence:
    """The candidate passages for one section, best first."""

    section: str
    """Section id."""
    passages: tuple[Passage, ...]
    """Candidates, highest score first; compose picks the points from these."""


@dataclass(frozen=True)
class Citation:
    """A pointer from a point in the brief to the exact words in one source."""

    source: str
    """Source id."""
    number: int
    """The source's number in the Sources list, shown as [n]."""
    start: int
    """Offset of the quote in the source's normalized text."""
    end: int
    """End offset (exclusive) of the quote."""
    quote: str
    """The cited words: always equal to the source's text[start:end]."""
    reliability: Grade = "F"
    """The source's Admiralty grade, repeated for templates."""
    credibility: int = 6
    """Credibility (1–6) of the point or claim this citation supports."""


def cite(passage: Passage, number: int, reliability: str = "F", credibility: int = 6) -> Citation:
    """The citation of `passage` as source number `number`."""
    return Citation(passage.source, number, passage.start, passage.end, passage.text, reliability,
                    credibility)


@dataclass(frozen=True)
class Point:
    """One key point: a passage taken from the sources, with every citation that supports it."""

    text: str
    """The point as shown; equal to the quote of its first citation."""
    citations: tuple[Citation, ...]
    """Supporting sources, first the one the text is taken from."""
    cues: tuple[str, ...] = ()
    """Contest cues in the wording, if any."""


@dataclass(frozen=True)
class Stance:
    """Where one source stands on one claim, with the sentence that shows it."""

    source: str
    """Source id."""
    number: int
    """The source's number in the Sources list."""
    stance: StanceLabel
    """One of STANCES."""
    citation: Citation | None
    """The evidence sentence, or None when the analyst declared the stance without one."""
    contradicts: bool = False
    """The evidence says the opposite of the claim (even if only as a hedged report)."""
    declared: bool = False
    """The analyst set this stance in config (asserted_by, disputed_by, reported_by)."""
    also: tuple[tuple[str, Citation], ...] = ()
    """(stance, citation) of the sentence the evidence points back to: "Both denied these
    claims" is shown with the accusation before it."""
    judge: str = ""
    """Name of the stance judge that decided (lexical, llm…); empty when the analyst declared it."""
    confidence: float = 0.0
    """The judge's confidence, 0–1."""
    deciding: tuple[Citation, ...] = ()
    """The sentences that decide the stance, verbatim with their spans; the first is `citation`
    (for a claim reported beside a denial, the denial comes second)."""


@dataclass(frozen=True)
class Claim:
    """A disputed proposition and each source's stance on it."""

    id: str
    """Claim id from config."""
    statement: str
    """The proposition, in the analyst's words."""
    stances: tuple[Stance, ...]
    """Stances of the sources that take one, in Sources order."""
    status: ClaimStatus
    """corroborated, contested, unconfirmed or single-source."""
    note: str | None = None
    """The analyst's comment."""
    credibility: int = 6
    """Admiralty information credibility, 1 (confirmed) to 6 (cannot be judged)."""
    found: bool = False
    """Discovered in the sources rather than written in config."""
    origin: str | None = None
    """For a discovered claim: id of the source whose sentence is its statement."""

    @property
    def contradicted_by(self) -> tuple["Stance", ...]:
        """Stances of sources that do not dispute outright but report the opposite."""
        return tuple(s for s in self.stances if s.contradicts and s.stance == "reports")


@dataclass(frozen=True)
class Source:
    """An entry of the Sources list."""

    number: int
    """1-based number used in citations."""
    article: Article
    """The ingested article with its metadata."""
    cited_in: tuple[str, ...]
    """Titles of the sections that cite it."""


@dataclass(frozen=True)
class Section:
    """A section of the brief."""

    id: str
    """Section id from config."""
    title: str
    """Heading."""
    intro_html: str = ""
    """The analyst's intro, Markdown rendered to HTML."""
    kind: str = "points"
    """points (key points) or claims (disputed claims)."""
    points: tuple[Point, ...] = ()
    """Key points, best first; for a claims section, the contested passages."""
    claims: tuple[Claim, ...] = ()
    """Curated claims (claims sections only)."""


@dataclass(frozen=True)
class Changes:
    """What changed since the last brief of the same series (another period)."""

    previous: str | None
    """The earlier brief's period, or None when there is no earlier brief."""
    new_sources: tuple[str, ...] = ()
    """Titles of sources that were not in the earlier brief."""
    dropped_sources: tuple[str, ...] = ()
    """Titles of sources the earlier brief had and this one has not."""
    new_points: tuple[str, ...] = ()
    """Key points that the earlier brief did not make."""
    status_changes: tuple[tuple[str, str, str], ...] = ()
    """(claim statement, earlier status, status now) for claims whose status moved."""

    @property
    def any(self) -> bool:
        return bool(self.new_sources or self.dropped_sources or self.new_points or self.status_changes)


@dataclass(frozen=True)
class Brief:
    """The whole brief, ready to render."""

    title: str
    """Title of the brief."""
    slug: str
    """File-name stem of the outputs."""
    sections: tuple[Section, ...]
    """Sections in config order."""
    sources: tuple[Source, ...]
    """Sources list, numbered."""
    built_at: datetime
    """When it was built (honours SOURCE_DATE_EPOCH)."""
    version: str
    """briefgen version that built it."""
    subtitle: str | None = None
    """Line under the title."""
    author: str | None = None
    """Person responsible."""
    organisation: str | None = None
    """Issuing organisation."""
    date: date | None = None
    """Date of issue."""
    period: str | None = None
    """Reporting period, as written."""
    marking: str | None = None
    """Handling marking, shown at top and bottom of every page."""
    summary_html: str = ""
    """Bottom line up front, Markdown rendered to HTML."""
    paper: str = "A4"
    """Page size: A4 or Letter."""
    language: str = "en"
    """Document language (HTML lang, PDF /Lang)."""
    warnings: tuple[str, ...] = field(default_factory=tuple)
    """Non-fatal notes from the build (e.g. a section with no points)."""
    period_key: str = "all"
    """Stable name of the reporting period (an ISO week such as 2023-W37, or 'all')."""
    audience: str = "brief"
    """Id of the edition (audience) this brief is for."""
    audience_title: str | None = None
    """How the edition names itself, e.g. "Executive summary"."""
    include: frozenset[str] = frozenset({"bluf", "judgments", "changes", "contents", "timeline", "matrix",
                                         "claims", "contested", "sources", "method"})
    """Parts of the brief this edition shows."""
    judgments_html: tuple[str, ...] = ()
    """Key judgments, Markdown rendered to HTML."""
    pdf_variant: str = "pdf/ua-1"
    """PDF flavour: pdf/ua-1 (tagged, accessible) or pdf/a-3b (archival)."""
    changes: Changes | None = None
    """What changed since the last brief, once history has been consulted."""
    uncited: tuple[Source, ...] = ()
    """Sources read but not listed (beyond 50 sources, the list shows those cited); in the JSON."""
    floor: str | None = None
    """The audience's grade floor (min_reliability): sources graded below it are left out."""
    left_out: tuple[int, ...] = ()
    """Numbers of the sources this edition leaves out because of its floor (the brief says so)."""
    dropped: tuple[Dropped, ...] = ()
    """Sources named in the config that could not be used (the Method note and the JSON list them)."""

    @property
    def read(self) -> int:
        """How many sources the brief was made from."""
        return len(self.sources) + len(self.uncited)
