"""The config file's shape → pydantic models that type-check one config entry each.

Field descriptions here are the reference for `config.yaml`; README.md summarises them.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Grade = Literal["A", "B", "C", "D", "E", "F"]
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"


class Entry(BaseModel):
    """Base: frozen, and unknown keys are errors (reported with a 'did you mean')."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _known_formats(value: list[str] | None) -> list[str] | None:
    """Output format names must be registered in briefgen.render (html, pdf, json, …)."""
    from ..render import FORMATS  # the registry: a format module added there is accepted here

    for name in value or ():
        if name not in FORMATS:
            raise ValueError(f"unknown output format '{name}' (known: {', '.join(FORMATS)})")
    if value is not None and not value:
        raise ValueError(f"give at least one output format (known: {', '.join(FORMATS)})")
    return value


class FileRef(Entry):
    """Markdown kept in a file: `{file: bottom-line.md}` (relative to the config file)."""

    file: str


Prose = str | FileRef
"""Markdown inline in config, or in a .md file; `[@source-id]` becomes a numbered citation."""

INCLUDE = Literal["bluf", "judgments", "changes", "contents", "timeline", "matrix", "claims",
                  "contested", "sources", "method"]
"""Parts of a brief an audience can include."""


class BriefMeta(Entry):
    """`brief:` what the brief is, who issues it, and how it is marked."""

    title: str = Field(min_length=1)
    subtitle: str | None = None
    author: str | None = None
    organisation: str | None = None
    date: dt.date | None = None
    period: str | None = None  # as shown; else stated from since/until or --week
    since: dt.date | None = None  # reporting window: sources published from this day…
    until: dt.date | None = None  # …to this day (undated sources are always kept)
    # file-name pattern; default {slug}, or {slug}-{week} for a chosen period (+ -{audience})
    output: str | None = Field(default=None, pattern=r"^(\{(slug|audience|week|date)\}|[A-Za-z0-9._-])+$")
    marking: str | None = None
    summary: Prose | None = None  # bottom line up front, Markdown
    judgments: list[Prose] = []  # key judgments, Markdown each
    slug: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9-]*$")
    paper: Literal["A4", "Letter"] = "A4"
    language: str = "en"
    max_points: int = Field(default=5, ge=1, le=50)
    formats: list[str] | None = None  # output formats to write, e.g. [html, pdf]; default: every one (html, pdf, json)

    _formats = field_validator("formats")(_known_formats)


class SourceEntry(Entry):
    """`sources:` one file (`id` + `path`), many (`glob`, ids from file stems), or a feed URL (`id` + `feed`)."""

    id: str | None = Field(default=None, pattern=ID_PATTERN, max_length=100)
    path: str | None = None
    glob: str | None = None
    feed: str | None = Field(default=None, pattern=r"^https?://\S+$")
    title: str | None = None
    outlet: str | None = None
    url: str | None = Field(default=None, pattern=r"^(https?://|mailto:)\S+$")  # the one URL policy: http, https, mailto
    published: dt.date | None = None
    reliability: Grade = "F"
    note: str | None = None
    sections: list[str] = []

    @model_validator(mode="after")
    def _one_kind(self) -> "SourceEntry":
        if self.feed is not None:
            if self.id is None or self.path is not None or self.glob is not None:
                raise ValueError("a feed entry takes an id and the feed URL, not path or glob")
        elif self.glob is not None:
            if self.path is not None or self.id is not None:
                raise ValueError("a glob entry takes neither id nor path (ids come from file names)")
            if self.title is not None or self.url is not None:
                raise ValueError("title and url belong to one file, not to a glob")
        elif self.path is None or self.id is None:
            raise ValueError("give id and path, or glob, or id and feed")
        return self


class SectionEntry(Entry):
    """`sections:` a heading and the rules that pick its sources and points."""

    id: str = Field(pattern=ID_PATTERN, max_length=100)
    title: str = Field(min_length=1)
    intro: Prose | None = None  # Markdown
    kind: Literal["points", "claims"] = "points"
    articles: list[str] = []
    keywords: list[str] = []
    max_points: int | None = Field(default=None, ge=1, le=50)


class ClaimEntry(Entry):
    """`claims:` a proposition the analyst tracks, and who stands where on it."""

    id: str = Field(pattern=ID_PATTERN, max_length=100)
    statement: str = Field(min_length=1)
    asserted_by: list[str] = []
    disputed_by: list[str] = []
    reported_by: list[str] = []
    note: str | None = None
    aliases: dict[str, list[str]] = {}  # a wording in the statement → other wordings of it


class Cleanup(Entry):
    """`cleanup:` site-chrome rules added to the defaults (regular expressions, case-insensitive)."""

    drop: list[str] = []  # lines matching any of these are removed
    keep: list[str] = []  # lines matching any of these are kept whatever else says
    min_words: int = Field(default=6, ge=1, le=50)  # shorter lines are chrome unless kept


class Safety(Entry):
    """`safety:` limits that keep a hostile or broken article from hurting the build."""

    allow_outside_project: bool = False  # let source paths (and symlinks) leave the config's folder
    max_article_mb: float = Field(default=5.0, gt=0, le=500)  # larger files are refused
    render_timeout: int = Field(default=180, ge=5, le=3600)  # seconds the PDF engine may take
    render_memory_mb: int = Field(default=3072, ge=256, le=65536)  # address space of the PDF engine
    allow_hosts: list[str] = []  # hosts the PDF engine may fetch from over http(s); none by default


class StanceRules(Entry):
    """`stance:` how claims are found in the sources and judged (briefgen/analysis/retrieval.py, judges/)."""

    dispute: list[str] = []  # extra regexes that mark a denial or rebuttal
    report: list[str] = []  # extra regexes that mark attribution or hedging
    min_share: float = Field(default=0.34, gt=0, le=1)  # accepted for old configs; unused since retrieval (analysis/retrieval.py)
    discover: int = Field(default=4, ge=0, le=50)  # claims to find in the sources (0: only config's)
    judge: str = Field(default="lexical", pattern=r"^[a-z][a-z0-9_-]*$")  # registered stance judge
    aliases: dict[str, list[str]] = {}  # for every claim: a wording → other wordings (NATO: [...])
    endpoint: str | None = None  # llm judge: chat-completions URL (http://127.0.0.1:11434/v1/chat/completions)
    model: str | None = None  # llm judge: model name the endpoint knows
    api_key_env: str | None = Field(default=None, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")  # env var with the key
    timeout: float = Field(default=30.0, gt=0, le=600)  # llm judge: seconds per request
    retries: int = Field(default=2, ge=0, le=10)  # llm judge: retries on 429/5xx/timeout
    budget: int = Field(default=200, ge=0, le=100000)  # llm judge: requests per build at most


class Estimative(Entry):
    """`estimative:` the probability words the analyst's prose is checked against (analysis/estimative.py)."""

    scale: Literal["icd203", "phia"] = "icd203"  # ICD 203's seven terms, or the UK PHIA yardstick
    check: bool = True  # warn on vague words, mixed scales, strong words on weak claims


class Audience(Entry):
    """`audiences:` one edition of the brief for one kind of reader."""

    id: str = Field(pattern=ID_PATTERN, max_length=100)
    title: str | None = None  # shown under the brief's title, e.g. "Executive summary"
    template: str = "brief.html"  # looked up in templates/<id>/, templates/, then the built-ins
    sections: list[str] = []  # ids, in the order wanted; default: every section
    max_points: int | None = Field(default=None, ge=1, le=50)
    min_reliability: Grade | None = None  # leave out sources graded below this
    include: list[INCLUDE] | None = None  # default: everything
    marking: str | None = None
    paper: Literal["A4", "Letter"] | None = None
    pdf: Literal["pdf/ua-1", "pdf/a-3b"] = "pdf/ua-1"  # tagged and accessible, or archival
    formats: list[str] | None = None  # output formats of this edition; default: brief.formats

    _formats = field_validator("formats")(_known_formats)
    to: list[str] = []  # e-mail recipients of this edition (default: delivery.to)
    cc: list[str] = []
    bcc: list[str] = []
    subject: str | None = None  # this edition's subject template (default: delivery.subject)


class Smtp(Entry):
    """`delivery.smtp:` the mail server; the password comes from an environment variable."""

    host: str = "localhost"
    port: int | None = Field(default=None, ge=1, le=65535)  # default: 587 starttls, 465 tls, 25 none
    security: Literal["starttls", "tls", "none"] = "starttls"
    username: str | None = None
    password_env: str | None = Field(default=None, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    ca_file: str | None = None  # extra CA certificate(s) to trust, relative to the config file
    timeout: float = Field(default=30, gt=0, le=600)
    retries: int = Field(default=3, ge=0, le=10)  # on transient errors, with backoff
    data_timeout: float = Field(default=600, gt=0, le=3600)  # seconds to wait for the reply to the message
    plaintext_login: bool = False  # allow username/password with security: none (a private link only)


class Delivery(Entry):
    """`delivery:` who gets the brief by e-mail, and through which server."""

    sender: str
    to: list[str] = Field(min_length=1)
    cc: list[str] = []
    bcc: list[str] = []
    subject: str | None = None  # Jinja template; default: templates/subject.txt
    channels: list[str] = ["email"]  # delivery channels by name (see briefgen.deliver.channels)
    smtp: Smtp = Smtp()


TOP_LEVEL = {"brief": BriefMeta, "sources": SourceEntry, "sections": SectionEntry,
             "claims": ClaimEntry, "cleanup": Cleanup, "safety": Safety, "stance": StanceRules,
             "delivery": Delivery, "audiences": Audience, "estimative": Estimative}
"""Top-level keys and the model each of their entries is checked against."""
