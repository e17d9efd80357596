"""Shared fixtures: builds of the sample and of the unrelated test brief, and a CLI runner."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen import pipeline
from briefgen.effects import FixedClock

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "config.yaml"
DROUGHT = ROOT / "tests" / "data" / "drought" / "config.yaml"
BUILT_AT = datetime(2024, 6, 24, 9, 30, tzinfo=timezone.utc)
SHARED = next((p for p in (ROOT.parent / "shared", Path("/work/shared")) if (p / "corpus").is_dir()), ROOT.parent / "shared")
"""The shared corpus folder beside the clone (real Wikinews articles for tests that need real text)."""


@dataclass
class Built:
    config: Path
    out: Path
    result: pipeline.Result
    html: str
    data: dict
    pdf: PdfReader
    pdf_bytes: bytes
    pdf_text: str  # whole text, quotes straightened, whitespace collapsed

    brief: object = None  # the edition this Built shows

    @property
    def articles(self):
        return {s.article.id: s.article for s in self.brief.sources}


def flatten(text: str) -> str:
    """PDF or HTML text → one line, straight quotes, single spaces (for phrase search)."""
    text = text.translate(str.maketrans("\u2018\u2019\u201c\u201d", "''\"\""))
    text = re.sub(r"(?<=\w)-\s+(?=\w)", "-", text)  # "high- tech": a line broken at a hyphen in the PDF
    return re.sub(r"\s+", " ", text)


def wait_for(check, what: str, limit: float = 60.0):
    """Poll `check` until it returns something true; fail with `what` after a generous `limit`
    (a bound for hangs, never a speed assertion)."""
    import time

    deadline = time.monotonic() + limit
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(what)
        time.sleep(0.02)


def drought_copy(tmp_path: Path) -> tuple[Path, Path]:
    """(folder, config) of a fresh copy of the unrelated test brief, to change in a test."""
    import shutil

    root = tmp_path / "p"
    shutil.copytree(DROUGHT.parent, root)
    return root, root / "config.yaml"


def build(config: Path, out: Path, audience: str | None = None, result=None) -> Built:
    """Build (or reuse `result`) and open the outputs of one edition (the first by default)."""
    result = result or pipeline.build(config, out, clock=FixedClock(BUILT_AT))
    brief = next(b for b in result.briefs if audience in (None, b.audience))
    pdf = result.file("pdf", brief.audience)
    reader = PdfReader(pdf)
    text = flatten(" ".join(page.extract_text() for page in reader.pages))
    return Built(config, out, result, result.file("html", brief.audience).read_text(encoding="utf-8"),
                 json.loads(result.file("json", brief.audience).read_text(encoding="utf-8")), reader,
                 pdf.read_bytes(), text, brief)


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample")
    return out, pipeline.build(SAMPLE, out, clock=FixedClock(BUILT_AT))


@pytest.fixture(scope="session")
def sample(sample_build) -> Built:
    """The sample's analyst edition: every part of the brief."""
    return build(SAMPLE, sample_build[0], "analyst", sample_build[1])


@pytest.fixture(scope="session")
def executive(sample_build) -> Built:
    return build(SAMPLE, sample_build[0], "executive", sample_build[1])


@pytest.fixture(scope="session")
def drought(tmp_path_factory) -> Built:
    return build(DROUGHT, tmp_path_factory.mktemp("drought"))


@pytest.fixture(params=["sample", "drought"])
def any_brief(request) -> Built:
    return request.getfixturevalue(request.param)


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run `briefgen ARGS` as a user would, capturing output."""
    return subprocess.run([sys.executable, "-m", "briefgen", *args], cwd=cwd or ROOT,
                          capture_output=True, text=True, timeout=120)


def pytest_terminal_summary(terminalreporter):
    """How many fault points test_faults injected in this run (its Done-when asks for the figure)."""
    faults = sys.modules.get("test_faults")
    covered = getattr(faults, "COVERED", None)
    if covered:
        kinds: dict[str, int] = {}
        for point in covered:
            kinds[point.split(":")[0]] = kinds.get(point.split(":")[0], 0) + 1
        detail = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
        terminalreporter.write_sep("-", f"fault injection: {len(covered)} fault points covered ({detail})")
