"""Edition HTML → PDF by WeasyPrint, in isolated child processes: the `pdf` output format.

Each PDF is made in a forked child under a time and memory limit (see `isolate`), several at
once; the engine may read only the project's assets and templates and the hosts the config
allows. Bundled fonts make the PDF look the same on every machine; `fontstamp` gives the
embedded fonts the brief's build time, so the bytes never depend on the wall clock. PDFs are
cached by their HTML, variant and build time.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Sequence
from urllib.parse import unquote, urlsplit

from . import Edition, Settings, fontstamp, register
from .html import builtin_templates
from .. import __version__, isolate


@register("pdf", "pdf", "PDF")
def write(editions: Sequence[Edition], settings: Settings) -> list[bytes]:
    """Each edition's PDF: from the cache when its HTML was rendered before, else made now (in parallel)."""
    from ..cache import digest

    jobs = [(e.html, e.brief.pdf_variant, e.brief.built_at) for e in editions]
    keys = [digest(html, variant, when.isoformat(), __version__) for html, variant, when in jobs]
    found = [settings.cache.pdf(k) if settings.cache else None for k in keys]
    todo = [i for i, data in enumerate(found) if data is None]
    made = to_pdfs([jobs[i] for i in todo], settings.root, settings.timeout, settings.memory_mb, settings.hosts)
    for i, data in zip(todo, made):
        if settings.cache:
            settings.cache.put_pdf(keys[i], data)
        found[i] = data
    return found


def to_pdf(html: str, root: Path, timeout: float = 180, memory_mb: int = 3072,
           hosts: tuple[str, ...] = (), variant: str = "pdf/ua-1", built_at: datetime | None = None) -> bytes:
    """The PDF of `html`, made in a child process under a time and memory limit."""
    return to_pdfs([(html, variant, built_at)], root, timeout, memory_mb, hosts)[0]


def to_pdfs(htmls: list[tuple], root: Path, timeout: float = 180, memory_mb: int = 3072,
            hosts: tuple[str, ...] = ()) -> list[bytes]:
    """PDFs of several (html, variant[, built_at]) tuples, rendered in parallel child processes.
    `built_at` (the brief's build time) stamps the embedded fonts, so the bytes do not depend on
    the wall clock."""
    hosts = tuple(h.lower() for h in hosts)
    jobs = [(_pdf, (job[0], root, hosts, job[1], job[2] if len(job) > 2 else None)) for job in htmls]
    return isolate.call_many(jobs, timeout=timeout, memory_mb=memory_mb, what="the PDF engine")


def asset_folders(root: Path) -> tuple[Path, ...]:
    """The only folders the PDF engine may read files from: the project's assets and templates."""
    return (root / "assets", root / "templates", builtin_templates())


def _pdf(html: str, root: Path, hosts: tuple[str, ...], variant: str = "pdf/ua-1",
         built_at: datetime | None = None) -> bytes:
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
                         presentational_hints=False, attachments=[], finisher=fontstamp.finisher(built_at))


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
