"""Brief → HTML through Jinja2 templates: the `html` output format, and the template environment
the PDF and the e-mail use too.

Templates load through a chain: the project's `templates/<audience>/`, its `templates/`, then
the built-in defaults; `default:NAME` always names the built-in, so an override can extend what
it replaces. Autoescaping is on: article text can never become markup. Templates get the
registries' vocabularies as globals (`FORMATS`: output formats; the `source_kind` filter: what
each reader reads), never as maps written in a template.
"""

from __future__ import annotations

import re
import traceback
from importlib import resources
from pathlib import Path
from typing import Sequence

import jinja2
from markupsafe import Markup

from . import FORMATS, Edition, Settings, charts, register
from ..errors import Problem, RenderError
from ..ingest import readers
from ..model import CREDIBILITY, RELIABILITY, Brief


def builtin_templates() -> Path:
    """The default templates: inside the installed package, or the source tree's templates/."""
    packaged = Path(str(resources.files("briefgen"))) / "templates"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "templates"


def environment(project_root: Path, audience: str | None = None) -> jinja2.Environment:
    """Templates from the project's templates/<audience>/, its templates/, then the built-ins."""
    builtin = jinja2.FileSystemLoader(builtin_templates())
    own = [project_root / "templates" / audience] if audience else []
    chain = jinja2.ChoiceLoader([jinja2.FileSystemLoader([*own, project_root / "templates"]), builtin])
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.PrefixLoader({"default": builtin}, delimiter=":"), chain]),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["longdate"] = lambda d: f"{d.day} {d:%B %Y}" if d else ""
    env.filters["css_string"] = css_string
    env.filters["typeset"] = typeset
    env.filters["source_kind"] = readers.describe
    env.filters["cited_numbers"] = cited_numbers
    env.globals["RELIABILITY"] = RELIABILITY
    env.globals["CREDIBILITY"] = CREDIBILITY
    env.globals["FORMATS"] = FORMATS
    env.globals["coverage_svg"] = charts.coverage
    env.globals["matrix_svg"] = charts.matrix
    return env


_OPEN = re.compile(r'(^|[\s(\[{\u2014\u2013-])"')
_APOS_OPEN = re.compile(r"(^|[\s(\[{\u2014\u2013])'(?=\w)")


def typeset(value: object) -> str:
    """Straight quotes → typographic ones, for display only (spans keep the normalized text)."""
    text = _OPEN.sub("\\1\u201c", str(value)).replace('"', "\u201d")
    return _APOS_OPEN.sub("\\1\u2018", text).replace("'", "\u2019")


def css_string(value: object) -> Markup:
    """`value` as a quoted CSS string, safe inside <style> (no quote, newline or '<' escapes it)."""
    out = "".join(ch if ch.isalnum() or ch in " .,:;/-_()&'!?" else f"\\{ord(ch):x} "
                  for ch in str(value))
    return Markup(f'"{out}"')


def cited_numbers(html: str) -> list[int]:
    """Source numbers that citation links in `html` point to (`#src-N`), in order, once each."""
    return list(dict.fromkeys(int(n) for n in re.findall(r'href="#src-(\d+)"', str(html))))


def to_html(brief: Brief, env: jinja2.Environment, template: str = "brief.html",
            formats: Sequence[str] = ("html",)) -> str:
    """The brief through `template`; `formats` (names) are the formats this edition is written in."""
    try:
        return env.get_template(template).render(brief=brief, formats=[FORMATS[n] for n in formats if n in FORMATS])
    except jinja2.TemplateError as exc:
        raise RenderError(_template_problem(exc)) from exc


@register("html", "html", "HTML")
def write(editions: Sequence[Edition], settings: Settings) -> list[bytes]:
    """The HTML each edition was rendered to (self-contained: inline CSS and SVG, no fetches)."""
    return [e.html.encode() for e in editions]


def _template_problem(exc: jinja2.TemplateError) -> Problem:
    name, line = getattr(exc, "filename", None) or getattr(exc, "name", None), getattr(exc, "lineno", None)
    if line is None:  # runtime errors: find the template frame in the traceback
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename.endswith((".html", ".css", ".j2")):
                name, line = frame.filename, frame.lineno
                break
    return Problem(f"template error: {exc.message or exc}", file=name, line=line,
                   hint="fix the template; 'briefgen build --debug' shows the traceback")
