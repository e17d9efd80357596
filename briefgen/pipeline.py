"""config.yaml path → files in the output folder: the stages, called in order."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import claims, compose, config, evidence, ingest, render
from .effects import AtomicWriter, Clock, SystemClock, Writer, build_lock
from .model import Brief, Corpus

FORMATS = ("html", "pdf", "json")


@dataclass(frozen=True)
class Result:
    """What a build produced."""

    brief: Brief
    written: tuple[Path, ...]


def load_config(path: str | Path) -> config.Config:
    return config.load(path)


def validate(path: str | Path) -> tuple[config.Config, Corpus]:
    """Check the config and read every article it names; raise on the first stage that fails."""
    cfg = config.load(path)
    return cfg, ingest.ingest(cfg)


def assess(path: str | Path) -> tuple[config.Config, Corpus, tuple]:
    """The config, its sources and every claim with each source's stance (for `briefgen claims`)."""
    cfg, corpus = validate(path)
    return cfg, corpus, claims.assess(cfg, corpus, evidence.split(corpus.articles))


def build(path: str | Path, out: str | Path, formats=FORMATS, clock: Clock | None = None,
          writer: Writer | None = None) -> Result:
    cfg, corpus = validate(path)
    passages = evidence.split(corpus.articles)
    ranked = evidence.rank(cfg, corpus, passages)
    found = claims.assess(cfg, corpus, passages)
    brief = compose.compose(cfg, corpus, ranked, found, (clock or SystemClock()).now())
    html = render.to_html(brief, render.environment(cfg.root))
    made = {"html": lambda: html.encode(), "json": lambda: render.to_json(brief).encode(),
            "pdf": lambda: render.to_pdf(html, cfg.root, cfg.safety.render_timeout,
                                         cfg.safety.render_memory_mb, tuple(cfg.safety.allow_hosts))}
    with build_lock(Path(out)):
        files = {f"{brief.slug}.{fmt}": made[fmt]() for fmt in formats}  # all made before any is written
        writer = writer or AtomicWriter(Path(out))
        return Result(brief, tuple(writer.write(name, data) for name, data in files.items()))
