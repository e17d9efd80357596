"""config.yaml path → Config: parsed safely, checked against the schema, globs expanded.

Every problem is collected (YAML line, key, what to do) and raised at once as ConfigError.
"""

from __future__ import annotations

import datetime as dt
import difflib
import glob as globlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .. import safeyaml
from . import citations
from ..errors import ConfigError, Problem
from .schema import (TOP_LEVEL, Audience, BriefMeta, ClaimEntry, Cleanup, Delivery, Estimative, FileRef, Safety,
                     SectionEntry, SourceEntry, StanceRules)

Loc = tuple[Any, ...]
URL_KEYS = {"feed": "an http(s) URL", "url": "an http, https or mailto URL"}
"""Config keys that hold a link, and what they accept (the one URL policy, briefgen/sanitize.py)."""

MAX_NODES = safeyaml.MAX_NODES
"""A config that expands to more YAML values than this is refused (alias bombs)."""


@dataclass(frozen=True)
class SourceSpec:
    """One source file the config names, with the metadata the config gives it."""

    id: str
    path: Path
    shown: str  # the path (or feed URL) as the user would write it, for messages
    line: int | None  # config line that declared it
    title: str | None
    outlet: str | None
    url: str | None
    published: dt.date | None
    reliability: str
    note: str | None
    sections: tuple[str, ...]
    feed: str | None = None  # URL to fetch instead of reading `path`


@dataclass(frozen=True)
class Config:
    """A validated brief project."""

    file: Path
    root: Path  # folder of the config file: relative paths start here
    brief: BriefMeta
    sources: tuple[SourceSpec, ...]
    sections: tuple[SectionEntry, ...]
    claims: tuple[ClaimEntry, ...]
    cleanup: Cleanup
    safety: Safety
    stance: StanceRules
    delivery: Delivery | None = None
    audiences: tuple[Audience, ...] = ()
    estimative: Estimative = Estimative()
    lines: dict[str, int] = field(default_factory=dict, compare=False)
    """Config line of each key, by its dotted path (``brief.judgments[1]``), for messages."""

    def prose(self, value) -> str | None:
        """Markdown of a prose field: inline text, or the content of its file."""
        if isinstance(value, FileRef):
            return (self.root / value.file).read_text(encoding="utf-8")
        return value


def load(path: str | Path) -> Config:
    """Read, parse and validate the config at `path`; raise ConfigError listing every problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(Problem("config file not found", file=str(path),
                                  hint="pass --config PATH or run in the project folder")) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(Problem(f"cannot read config: {exc}", file=str(path))) from None
    return _Checker(path, text).run()


class _Checker:
    def __init__(self, path: Path, text: str):
        self.path, self.text, self.root = path, text, path.resolve().parent
        self.problems: list[Problem] = []
        self.lines: dict[Loc, int] = {}

    def problem(self, loc: Loc, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(message, file=str(self.path), line=self._line(loc),
                                     key=_key(loc) or None, hint=hint))

    def _line(self, loc: Loc) -> int | None:
        while loc and loc not in self.lines:
            loc = loc[:-1]
        return self.lines.get(loc)

    def run(self) -> Config:
        data = self._parse()
        parts = {name: self._entries(data, name, model) for name, model in TOP_LEVEL.items()}
        brief = parts["brief"][0][1] if parts["brief"] else None
        self.safety = parts["safety"][0][1] if parts["safety"] else Safety()
        before = len(self.problems)
        sources = self._sources(parts["sources"])
        sections = tuple(e for _, e in parts["sections"])
        sources_ok = len(parts["sources"]) == _count(data.get("sources")) and len(self.problems) == before
        sections_ok = len(sections) == _count(data.get("sections"))
        self._cross_check(sources, sections, parts["claims"], sources_ok, sections_ok)
        if self.problems or brief is None:
            raise ConfigError(sorted(self.problems, key=lambda p: p.line or 0))
        cleanup = parts["cleanup"][0][1] if parts["cleanup"] else Cleanup()
        stance = parts["stance"][0][1] if parts["stance"] else StanceRules()
        delivery = parts["delivery"][0][1] if parts["delivery"] else None
        self._check_mail(delivery)
        audiences = tuple(a for _, a in parts["audiences"])
        self._check_audiences(parts["audiences"], sections, brief)
        if self.problems:
            raise ConfigError(sorted(self.problems, key=lambda p: p.line or 0))
        estimative = parts["estimative"][0][1] if parts["estimative"] else Estimative()
        config = Config(self.path, self.root, brief, tuple(sources), sections,
                        tuple(e for _, e in parts["claims"]), cleanup, self.safety, stance, delivery,
                        audiences, estimative, {_key(loc): line for loc, line in self.lines.items()})
        unknown = citations.check(config)  # every unknown [@id] in the prose, where it is written
        if unknown:
            raise ConfigError(unknown)
        return config

    def _parse(self) -> dict:
        try:
            data, self.lines = safeyaml.load(self.text, MAX_NODES, "the config")
        except safeyaml.YamlProblem as exc:
            raise ConfigError(Problem(exc.message, file=str(self.path), line=exc.line, hint=exc.hint)) from None
        if not isinstance(data, dict):
            raise ConfigError(Problem("the config must be a mapping with brief, sources and sections",
                                      file=str(self.path), line=1))
        for key in data:
            if key not in TOP_LEVEL:
                self.problem((key,), f"unknown key '{key}'", _did_you_mean(str(key), TOP_LEVEL))
        return data

    def _entries(self, data: dict, name: str, model: type[BaseModel]) -> list[tuple[Loc, Any]]:
        """Validate each entry of a top-level key on its own, so one bad entry hides no other."""
        value, many = data.get(name), name in ("sources", "sections", "claims", "audiences")
        if value is None:
            if name in ("brief", "sources", "sections"):
                self.problem((), f"missing required key '{name}'", f"add a '{name}:' section")
            return []
        if many and not isinstance(value, list):
            self.problem((name,), f"expected a list of entries, got {_kind(value)}",
                         "write each entry on a line starting with '- '")
            return []
        items = list(enumerate(value)) if many else [(None, value)]
        out = []
        for i, item in items:
            loc = (name, i) if many else (name,)
            try:
                out.append((loc, model.model_validate(item)))
            except ValidationError as exc:
                for err in exc.errors():
                    self._schema_problem(loc + tuple(err["loc"]), err, model)
        return out

    def _schema_problem(self, loc: Loc, err: dict, model: type[BaseModel]) -> None:
        kind = err["type"]
        if kind == "extra_forbidden":
            self.problem(loc, f"unknown key '{loc[-1]}'", _did_you_mean(str(loc[-1]), model.model_fields))
        elif kind == "missing":
            self.problem(loc, "required key is missing", f"add '{loc[-1]}:'")
        elif kind == "model_type":
            self.problem(loc, f"expected a mapping of keys, got {_kind(err['input'])}")
        elif kind == "list_type":
            self.problem(loc, f"expected a list, got {_kind(err['input'])}", "write it as [a, b] or one '- item' per line")
        elif kind == "string_pattern_mismatch" and loc[-1] in URL_KEYS:
            self.problem(loc, f"'{err['input']}' is not {URL_KEYS[loc[-1]]}",
                         "only http(s) links are fetched or shown; copy a local file into the project and use 'path:'")
        elif kind == "string_pattern_mismatch":
            self.problem(loc, f"'{err['input']}' is not a valid {loc[-1] if isinstance(loc[-1], str) else 'value'}",
                         "use letters, digits, '-', '_' or '.'" if loc[-1] in ("id", "slug") else
                         "see the config reference in the README")
        elif kind == "literal_error":
            self.problem(loc, f"'{err['input']}' is not allowed: {err['msg'].removeprefix('Input should be ')}")
        elif kind.startswith("date"):
            self.problem(loc, f"'{err['input']}' is not a date", "write dates as YYYY-MM-DD")
        else:
            self.problem(loc, err["msg"].replace("Value error, ", ""))

    def _sources(self, entries: list[tuple[Loc, SourceEntry]]) -> list[SourceSpec]:
        out: list[SourceSpec] = []
        seen: dict[str, Loc] = {}
        for loc, e in entries:
            if e.feed is not None:
                files = [(e.id, Path(f"{e.id}.xml"))]
            elif e.glob is not None:
                matches = sorted(p for p in globlib.glob(str(self.root / e.glob), recursive=True)
                                 if Path(p).is_file())
                if not matches:
                    self.problem(loc + ("glob",), f"glob '{e.glob}' matched no files",
                                 "check the pattern; paths are relative to the config file")
                files = [(Path(p).stem, Path(p)) for p in matches]
            else:
                files = [(e.id, self.root / e.path)]
                if not files[0][1].is_file():
                    self.problem(loc + ("path",), f"file not found: {e.path}",
                                 "check the path; it is relative to the config file")
                    continue
            for sid, path in files:
                if not e.feed and not self._inside(loc + ("glob" if e.glob else "path",), path):
                    continue
                if sid in seen:
                    self.problem(loc, f"duplicate source id '{sid}'", "give each source its own id")
                    continue
                seen[sid] = loc
                out.append(SourceSpec(sid, path, e.feed or _shown(path, self.root), self._line(loc),
                                      e.title, e.outlet, e.url, e.published, e.reliability, e.note,
                                      tuple(e.sections), e.feed))
        self._source_locs = seen
        return out

    def _check_audiences(self, entries, sections, brief) -> None:
        """Audience ids unique, their sections known, prose files present."""
        ids, known = set(), [s.id for s in sections]
        for loc, a in entries:
            if a.id in ids:
                self.problem(loc + ("id",), f"duplicate audience id '{a.id}'")
            ids.add(a.id)
            self._refs(loc + ("sections",), a.sections, known, "section")
            for key in ("to", "cc", "bcc"):
                for i, value in enumerate(getattr(a, key)):
                    self._address(loc + (key, i), value, key)
        prose = [(("brief", "summary"), brief.summary if brief else None)]
        prose += [(("brief", "judgments", i), j) for i, j in enumerate(brief.judgments if brief else [])]
        prose += [(("sections", i, "intro"), s.intro) for i, s in enumerate(sections)]
        for loc, value in prose:
            if isinstance(value, FileRef) and not self._inside(loc + ("file",), self.root / value.file):
                continue  # outside the project: never read
            if isinstance(value, FileRef) and not (self.root / value.file).is_file():
                self.problem(loc + ("file",), f"file not found: {value.file}",
                             "check the path; it is relative to the config file")

    def _address(self, loc: Loc, value: str, key: str) -> None:
        from ..deliver.mail import address

        try:
            address(value, key)
        except ConfigError as exc:
            self.problem(loc, exc.problems[0].message, exc.problems[0].hint)

    def _check_mail(self, delivery: Delivery | None) -> None:
        """Every address is one strictly parsed mailbox; the CA file exists."""
        if delivery is None:
            return
        fields = [("sender", [delivery.sender])] + [(k, getattr(delivery, k)) for k in ("to", "cc", "bcc")]
        for key, values in fields:
            for i, value in enumerate(values):
                self._address(("delivery", key) if key == "sender" else ("delivery", key, i), value, key)
        if delivery.smtp.ca_file and not (self.root / delivery.smtp.ca_file).is_file():
            self.problem(("delivery", "smtp", "ca_file"), f"file not found: {delivery.smtp.ca_file}",
                         "give the path of a PEM file, relative to the config file")

    def _inside(self, loc: Loc, path: Path) -> bool:
        """Whether `path` (after following symlinks) stays in the project, or may leave it."""
        if self.safety.allow_outside_project or path.resolve().is_relative_to(self.root):
            return True
        shown = _shown(path, self.root)
        if path.is_symlink() or any(p.is_symlink() for p in path.parents if p.is_relative_to(self.root)):
            self.problem(loc, f"symlink leads outside the project folder: {shown}",
                         "copy the file into the project, or set safety.allow_outside_project: true")
        else:
            self.problem(loc, f"path leaves the project folder: {shown}",
                         "keep sources inside the project, or set safety.allow_outside_project: true")
        return False

    def _cross_check(self, sources, sections, claims, sources_ok: bool, sections_ok: bool) -> None:
        """References between entries; skipped against a list that failed, to avoid echo errors."""
        ids = [s.id for s in sources]
        section_ids = [s.id for s in sections]
        seen_sections: set[str] = set()
        for i, s in enumerate(sections):
            if s.id in seen_sections:
                self.problem(("sections", i, "id"), f"duplicate section id '{s.id}'")
            seen_sections.add(s.id)
            if sources_ok:
                self._refs(("sections", i, "articles"), s.articles, ids, "source")
        for spec in sources if sections_ok else ():
            loc = self._source_locs[spec.id] + ("sections",)
            self._refs(loc, spec.sections, section_ids, "section")
        for loc, c in claims if sources_ok else ():
            for role in ("asserted_by", "disputed_by", "reported_by"):
                self._refs(loc + (role,), getattr(c, role), ids, "source")

    def _refs(self, loc: Loc, refs, known: list[str], what: str) -> None:
        for j, ref in enumerate(refs):
            if ref not in known:
                self.problem(loc + (j,), f"unknown {what} id '{ref}'",
                             _did_you_mean(ref, known) or f"define the {what} or remove the reference")


def _count(value: Any) -> int:
    """How many entries a top-level list holds (-1 when it is not a list: never 'all valid')."""
    return len(value) if isinstance(value, list) else (0 if value is None else -1)


def _key(loc: Loc) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _kind(value: Any) -> str:
    return {str: "text", int: "a number", float: "a number", bool: "true/false", list: "a list",
            dict: "a mapping", type(None): "nothing"}.get(type(value), type(value).__name__)


def _did_you_mean(word: str, options) -> str | None:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


def _shown(path: Path, root: Path) -> str:
    """`path` as the user wrote it: relative to the project when it is inside."""
    try:
        return str(path.absolute().relative_to(root))
    except ValueError:
        return str(path)
