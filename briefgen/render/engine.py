"""Brief → HTML (Jinja2 templates), PDF (WeasyPrint) and JSON (the brief model).

Templates load through a chain: the project's `templates/`, then the built-in defaults;
`default:NAME` always names the built-in, so an override can extend what it replaces.
Autoescaping is on: article text can never become markup.
"""

from __future__ import annotations

import json
import re
import traceback
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jinja2
from markupsafe import Markup

from . import charts
from .. import isolate
from ..errors import Problem, RenderError
from ..model import CREDIBILITY, RELIABILITY, Article, Brief, Claim


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
    env.globals["RELIABILITY"] = RELIABILITY
    env.globals["CREDIBILITY"] = CREDIBILITY
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


def to_html(brief: Brief, env: jinja2.Environment, template: str = "brief.html") -> str:
    try:
        return env.get_template(template).render(brief=brief)
    except jinja2.TemplateError as exc:
        raise RenderError(_template_problem(exc)) from exc


def to_pdf(html: str, root: Path, timeout: float = 180, memory_mb: int = 3072,
           hosts: tuple[str, ...] = (), variant: str = "pdf/ua-1") -> bytes:
    """The PDF of `html`, made in a child process under a time and memory limit."""
    return to_pdfs([(html, variant)], root, timeout, memory_mb, hosts)[0]


def to_pdfs(htmls: list[tuple[str, str]], root: Path, timeout: float = 180, memory_mb: int = 3072,
            hosts: tuple[str, ...] = ()) -> list[bytes]:
    """PDFs of several (html, variant) pairs, rendered in parallel child processes."""
    hosts = tuple(h.lower() for h in hosts)
    return isolate.call_many([(_pdf, (html, root, hosts, variant)) for html, variant in htmls],
                             timeout=timeout, memory_mb=memory_mb, what="the PDF engine")


def asset_folders(root: Path) -> tuple[Path, ...]:
    """The only folders the PDF engine may read files from: the project's assets and templates."""
    return (root / "assets", root / "templates", builtin_templates())


def _pdf(html: str, root: Path, hosts: tuple[str, ...], variant: str = "pdf/ua-1") -> bytes:
    import weasyprint  # heavy: loaded only when a PDF is made

    allowed = tuple(p.resolve() for p in asset_folders(root))

    class Fetcher(weasyprint.urls.URLFetcher):
        """data: URLs, files inside the asset folders, and http(s) to allowed hosts only."""

        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower()
            if scheme == "file":
                path = Path(unquote(urlsplit(url).path)).resolve()
                if not any(path.is_relative_to(folder) for folder in allowed):
                    raise ValueError(f"blocked: {url} is outside the project's asset folders")
            elif scheme in ("http", "https") and (urlsplit(url).hostname or "") in hosts:
                pass
            elif scheme != "data":
                raise ValueError(f"blocked: {url} (not an allowed host: see safety.allow_hosts)")
            return super().fetch(url, headers)

    from weasyprint.text.fonts import FontConfiguration

    fetcher = Fetcher(timeout=5, allow_redirects=False)
    fonts = FontConfiguration()
    doc = weasyprint.HTML(string=html, base_url=str(root / "assets") + "/", url_fetcher=fetcher)
    bundled = weasyprint.CSS(string=font_faces(), font_config=fonts, url_fetcher=fetcher)
    return doc.write_pdf(stylesheets=[bundled], font_config=fonts, pdf_identifier=b"briefgen",
                         pdf_tags=True, pdf_variant=variant, custom_metadata=False,
                         presentational_hints=False, attachments=[])


FACES = [("Noto Serif", "normal", 400, "NotoSerif-Regular"), ("Noto Serif", "normal", 700, "NotoSerif-Bold"),
         ("Noto Serif", "italic", 400, "NotoSerif-Italic"), ("Noto Serif", "italic", 700, "NotoSerif-BoldItalic"),
         ("Noto Sans", "normal", 400, "NotoSans-Regular"), ("Noto Sans", "normal", 700, "NotoSans-Bold")]
"""Fonts shipped in templates/fonts (SIL OFL 1.1): the PDF looks the same on every machine."""


def font_faces() -> str:
    """@font-face rules for the bundled fonts (PDF only: the HTML stays free of fetches)."""
    folder = builtin_templates() / "fonts"
    return "\n".join(f'@font-face {{ font-family: "{family}"; font-style: {style}; font-weight: {weight}; '
                     f'src: url("{(folder / (name + ".ttf")).as_uri()}"); }}'
                     for family, style, weight, name in FACES if (folder / (name + ".ttf")).exists())


def to_json(brief: Brief) -> str:
    """The brief model: sections → points → citations with spans; sources; claims."""
    claims = [c for s in brief.sections for c in s.claims]
    data = {
        "title": brief.title, "subtitle": brief.subtitle, "slug": brief.slug,
        "author": brief.author, "organisation": brief.organisation,
        "date": _iso(brief.date), "period": brief.period, "marking": brief.marking,
        "generator": f"briefgen {brief.version}", "built_at": brief.built_at.isoformat(),
        "sections": [{
            "id": s.id, "title": s.title, "kind": s.kind,
            "points": [{"text": p.text, "cues": list(p.cues), "citations": [
                {"source": c.source, "number": c.number, "start": c.start, "end": c.end,
                 "quote": c.quote, "reliability": c.reliability, "credibility": c.credibility}
                for c in p.citations]} for p in s.points],
            "claims": [c.id for c in s.claims],
        } for s in brief.sections],
        "sources": [dict(source_json(s.article), number=s.number, cited_in=list(s.cited_in))
                    for s in sorted(brief.sources + brief.uncited, key=lambda s: s.number)],
        "claims": [claim_json(c) for c in claims],
        "warnings": list(brief.warnings),
        "changes": None if brief.changes is None else {
            "previous": brief.changes.previous, "new_sources": list(brief.changes.new_sources),
            "dropped_sources": list(brief.changes.dropped_sources),
            "new_points": list(brief.changes.new_points),
            "status_changes": [list(c) for c in brief.changes.status_changes],
        },
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def claim_json(c: Claim) -> dict:
    """One claim as JSON: status, credibility, and each source's stance with its evidence."""
    return {
        "id": c.id, "statement": c.statement, "status": c.status, "credibility": c.credibility,
        "found": c.found, "note": c.note,
        "stances": {st.source: {
            "stance": st.stance, "evidence": st.citation.quote if st.citation else None,
            "start": st.citation.start if st.citation else None,
            "end": st.citation.end if st.citation else None,
            "number": st.number, "contradicts": st.contradicts, "declared": st.declared,
            "also": [{"stance": kind, "evidence": cit.quote, "start": cit.start, "end": cit.end}
                     for kind, cit in st.also],
            "judge": st.judge or None, "confidence": st.confidence,
            "deciding": [{"sentence": cit.quote, "start": cit.start, "end": cit.end} for cit in st.deciding],
        } for st in c.stances},
    }


def source_json(a: Article, text: bool = False) -> dict:
    """One source as JSON: its metadata, where each field came from, merged copies, warnings."""
    data = {
        "id": a.id, "format": a.format, "title": a.title, "outlet": a.outlet, "author": a.author,
        "published": _iso(a.published), "url": a.url, "language": a.language,
        "reliability": a.reliability, "note": a.note, "extracted": list(a.extracted), "words": len(a.text.split()),
        "duplicates": [{"id": c.id, "title": c.title, "outlet": c.outlet, "url": c.url,
                        "published": _iso(c.published)} for c in a.also],
        "warnings": list(a.warnings),
    }
    if text:  # for `briefgen sources`, not for briefs that leave the machine
        data["file"] = str(a.path)
        data["text"] = a.text
    return data


def _iso(d) -> str | None:
    return d.isoformat() if d else None


def _template_problem(exc: jinja2.TemplateError) -> Problem:
    name, line = getattr(exc, "filename", None) or getattr(exc, "name", None), getattr(exc, "lineno", None)
    if line is None:  # runtime errors: find the template frame in the traceback
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename.endswith((".html", ".css", ".j2")):
                name, line = frame.filename, frame.lineno
                break
    return Problem(f"template error: {exc.message or exc}", file=name, line=line,
                   hint="fix the template; 'briefgen build --debug' shows the traceback")
