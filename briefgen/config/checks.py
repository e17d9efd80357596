"""What the config checker checks, by topic: each class adds the checks of one part of the config.

`loader._Checker` parses the YAML and validates each entry against the schema; these mixins
hold the checks across entries. Each reports through `self.problem(loc, message, hint)`, so
every problem is collected and reported at once.
"""

from __future__ import annotations

import datetime as dt
import difflib
import glob as globlib
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError
from .schema import Delivery, FileRef, SourceEntry

Loc = tuple


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


def _did_you_mean(word: str, options) -> str | None:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


def _shown(path: Path, root: Path) -> str:
    """`path` as the user wrote it: relative to the project when it is inside."""
    try:
        return str(path.absolute().relative_to(root))
    except ValueError:
        return str(path)


class SourceChecks:
    """Sources: ids unique, paths and globs found and inside the project."""

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


class AudienceChecks:
    """Audiences: ids unique, their sections known, addresses strict, prose files present."""

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


class MailChecks:
    """Delivery: every address one strictly parsed mailbox, the CA file present."""

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


class ReferenceChecks:
    """References between entries (sections, claims, sources) point at ids that exist."""

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
