"""config.yaml path → Config: parsed safely, checked against the schema, globs expanded.

Every problem is collected (YAML line, key, what to do) and raised at once as ConfigError.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .. import safeyaml
from . import citations
from .checks import (AudienceChecks, MailChecks, ReferenceChecks, SourceChecks, SourceSpec,  # noqa: F401
                     _did_you_mean)
from ..errors import ConfigError, Problem
from .schema import (TOP_LEVEL, Audience, BriefMeta, ClaimEntry, Cleanup, Delivery, Estimative, FileRef, Safety,
                     SectionEntry, StanceRules)

Loc = tuple[Any, ...]
URL_KEYS = {"feed": "an http(s) URL", "url": "an http, https or mailto URL"}
"""Config keys that hold a link, and what they accept (the one URL policy, briefgen/sanitize.py)."""

MAX_NODES = safeyaml.MAX_NODES
"""A config that expands to more YAML values than this is refused (alias bombs)."""


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


class _Checker(SourceChecks, AudienceChecks, MailChecks, ReferenceChecks):
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
            data, self.lines = safeyaml.parse(self.text, MAX_NODES, "the config")
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
