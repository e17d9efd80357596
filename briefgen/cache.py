"""Build inputs → content-addressed results under OUT/.briefgen/cache, so unchanged work is skipped.

- build manifest: a digest of every input (package version, options, config, templates,
  assets, each article's bytes); if it matches the last build and its outputs are still there,
  byte for byte, nothing is done.
- articles: an article file's bytes + cleanup rules → its parsed articles and sentence spans.
- PDFs: an edition's HTML + PDF variant + build time → its PDF (the file name carries a digest
  of its bytes, checked on every read).
- build time: an edition whose content did not change keeps the time it was first built at,
  so its HTML, and so its PDF, stay the same.

Everything is JSON or the bytes of a PDF (no pickle: a cache folder must not run code). The
folder is safe to delete; a damaged entry is treated as missing; entries unused for
KEEP_DAYS are removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from datetime import date, datetime
from pathlib import Path

from . import __version__
from .effects import AtomicWriter
from .model import Article, Copy

KEEP_DAYS = 45
"""Cache entries not used for this long are removed after a build."""


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big") + data)
    return h.hexdigest()


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def prose_files(cfg) -> list[Path]:
    """The Markdown files the config's prose comes from (bottom line, judgments, section intros)."""
    values = (cfg.brief.summary, *cfg.brief.judgments, *(s.intro for s in cfg.sections))
    return [cfg.root / v.file for v in values if hasattr(v, "file") and (cfg.root / v.file).is_file()]


class Cache:
    def __init__(self, out: Path):
        self.folder = Path(out) / ".briefgen" / "cache"

    # --- whole build -------------------------------------------------------------------
    def inputs(self, cfg, options: dict) -> str | None:
        """Digest of everything a build reads; None when an input can't be known (feed URLs)."""
        if any(s.feed for s in cfg.sources):
            return None
        from .render.html import builtin_templates

        parts = [__version__, json.dumps(options, sort_keys=True, default=str),
                 os.environ.get("SOURCE_DATE_EPOCH", ""), cfg.file.read_bytes()]
        for folder in (cfg.root / "templates", cfg.root / "assets", builtin_templates()):
            if folder.is_dir():
                parts += [f"{p.relative_to(folder)}:{file_digest(p)}" for p in sorted(folder.rglob("*")) if p.is_file()]
        for spec in cfg.sources:
            if spec.path.is_file():  # a source that can't be read changes what the build says
                parts.append(f"{spec.id}:{spec.path}:{file_digest(spec.path)}")
        parts += [file_digest(path) for path in prose_files(cfg)]
        return digest(*parts)

    def up_to_date(self, key: str | None, out: Path) -> list[Path] | None:
        """The outputs of the last build if it had the same inputs and they are untouched."""
        manifest = self._json(self.folder / "build.json")
        if not key or not manifest or manifest.get("key") != key:
            return None
        paths = [Path(out) / name for name in manifest["outputs"]]
        for path, expected in zip(paths, manifest["outputs"].values()):
            if not path.is_file() or file_digest(path) != expected:
                return None
        return paths

    def record_build(self, key: str | None, written: list[Path]) -> None:
        if key:
            self._write("build.json", {"key": key, "outputs": {p.name: file_digest(p) for p in written}})
        self._prune()

    # --- articles ----------------------------------------------------------------------
    def articles(self, key: str) -> list[Article] | None:
        data = self._json(self._path("articles", key))
        try:
            return [_article(a) for a in data] if data is not None else None
        except (KeyError, TypeError, ValueError):
            return None

    def put_articles(self, key: str, articles: list[Article]) -> None:
        self._write(self._path("articles", key), [_plain(a) for a in articles])

    def spans(self, text: str) -> list[tuple[int, int]] | None:
        data = self._json(self._path("spans", digest(text)))
        return [tuple(s) for s in data] if isinstance(data, list) else None

    def put_spans(self, text: str, spans: list[tuple[int, int]]) -> None:
        self._write(self._path("spans", digest(text)), spans)

    # --- editions ----------------------------------------------------------------------
    def answer(self, key: str) -> str | None:
        """A stance judge's cached answer to the request hashed as `key` (never holds a key)."""
        data = self._json(self._path("llm", key))
        return data if isinstance(data, str) else None

    def put_answer(self, key: str, content: str) -> None:
        self._write(self._path("llm", key), content)

    def pdf(self, key: str) -> bytes | None:
        """The cached PDF, if its bytes still match the digest in its name (a damaged one is missing)."""
        for path in (self.folder / "pdf").glob(f"{key}.*.pdf"):
            try:
                data = path.read_bytes()
            except OSError:
                continue
            if hashlib.sha256(data).hexdigest()[:32] == path.suffixes[-2][1:]:
                self._touch(path)
                return data
        return None

    def put_pdf(self, key: str, data: bytes) -> None:
        self._write(self._path("pdf", f"{key}.{hashlib.sha256(data).hexdigest()[:32]}", ".pdf"), data)

    def built_at(self, content: str, now: datetime) -> datetime:
        """When this edition's content was first built (now, if it is new)."""
        path = self._path("built", content)
        data = self._json(path)
        if isinstance(data, str):
            try:
                return datetime.fromisoformat(data)
            except ValueError:
                pass
        self._write(path, now.isoformat())
        return now

    # --- storage -----------------------------------------------------------------------
    def _path(self, kind: str, key: str, suffix: str = ".json") -> Path:
        return self.folder / kind / f"{key}{suffix}"

    def _json(self, path: Path):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        self._touch(path)
        return data

    def _touch(self, path: Path) -> None:
        """Mark an entry as used now: pruning goes by last use."""
        try:
            os.utime(path)
        except OSError:
            pass

    def _write(self, path: Path | str, data) -> None:
        path = self.folder / path if isinstance(path, str) else path
        raw = data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False).encode()
        try:
            AtomicWriter(path.parent).write(path.name, raw)
        except Exception:  # a cache that can't be written only makes the next build slower
            pass

    def _prune(self) -> None:
        """Drop entries unused for KEEP_DAYS, so the cache does not grow week after week, while
        other audiences' and other weeks' entries survive a build that did not need them."""
        cutoff = time.time() - KEEP_DAYS * 86400
        for kind in ("articles", "spans", "pdf", "built", "llm"):
            for path in (self.folder / kind).glob("*") if (self.folder / kind).is_dir() else ():
                try:
                    if path.stat().st_mtime < cutoff:
                        path.unlink(missing_ok=True)
                except OSError:
                    pass


def _plain(a: Article) -> dict:
    out = {}
    for name, value in a.__dict__.items():
        if isinstance(value, Path):
            value = str(value)
        elif isinstance(value, date):
            value = value.isoformat()
        elif name == "also":
            value = [{**c.__dict__, "published": c.published.isoformat() if c.published else None} for c in value]
        out[name] = value
    return out


def _article(d: dict) -> Article:
    d = dict(d)
    d["path"] = Path(d["path"])
    d["published"] = date.fromisoformat(d["published"]) if d["published"] else None
    d["also"] = tuple(Copy(**{**c, "published": date.fromisoformat(c["published"]) if c["published"] else None})
                      for c in d["also"])
    for name in ("sections", "removed", "extracted", "warnings"):
        d[name] = tuple(d[name])
    return Article(**d)
